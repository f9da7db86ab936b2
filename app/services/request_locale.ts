import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import { I18n } from '@adonisjs/i18n'
import i18nManager from '@adonisjs/i18n/services/main'
import { isPortalLocale, type PortalLocale } from '#support/locales'
import { isPortalPath } from '#services/surfaces'

/*
| Which language a request is answered in (DESIGN §16). The staff side is
| English. On the portal: a signed-in person's own language (their account's);
| before sign-in the language chosen with the visible switch (a cookie that
| holds only the language), else the browser's Accept-Language.
*/
export const LANGUAGE_COOKIE = 'portal_language'

/** Tests only: render a page in the pseudo-locale (config/i18n.ts) to find untranslated text. */
const TEST_LOCALE_HEADER = 'x-test-locale'

function testLocale(ctx: HttpContext) {
  const forced = app.inTest ? ctx.request.header(TEST_LOCALE_HEADER) : undefined
  return forced && i18nManager.supportedLocales().includes(forced) ? forced : null
}

/** The language before anyone is known: the switch's cookie, else the browser's, else English. */
export function visitorLocale(ctx: HttpContext): string {
  if (!isPortalPath(ctx.request.url())) return 'en'
  const forced = testLocale(ctx)
  if (forced) return forced
  const chosen = ctx.request.plainCookie(LANGUAGE_COOKIE, { encoded: false })
  if (isPortalLocale(chosen)) return chosen
  const accepted = i18nManager.getSupportedLocaleFor(ctx.request.languages())
  return isPortalLocale(accepted) ? accepted : 'en'
}

export function answerIn(ctx: HttpContext, locale: string) {
  ctx.i18n = i18nManager.locale(locale)
  ctx.containerResolver.bindValue(I18n, ctx.i18n)
  ctx.view.share({ i18n: ctx.i18n })
}

/** Once the portal knows who is signed in: their own language from here on. */
export function answerInLanguageOf(ctx: HttpContext, account: { language: PortalLocale }) {
  if (!testLocale(ctx) && ctx.i18n.locale !== account.language) answerIn(ctx, account.language)
}

/** Remembers a visitor's choice of language (the public pages' switch). */
export function rememberVisitorLocale(ctx: HttpContext, locale: PortalLocale) {
  ctx.response.plainCookie(LANGUAGE_COOKIE, locale, {
    encode: false,
    maxAge: '365d',
    httpOnly: true,
    sameSite: 'lax',
    path: '/portal',
  })
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    i18n: I18n
  }
}
