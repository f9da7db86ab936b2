import type { HttpContext } from '@adonisjs/core/http'
import { portalSide, signIn, signOut } from '#services/sign_in'
import { rememberVisitorLocale } from '#services/request_locale'

/**
 * Where sign-in may send a person back to: only an invitation link (someone
 * whose email has an account signs in first, then accepts). Anything else
 * would make the sign-in page an open redirect.
 */
const RETURN_PATH = /^\/portal\/invitations\/[A-Za-z0-9_-]{1,100}$/

/** Portal sign-in and sign-out, at /portal/login and /portal/logout. */
export default class ClientSessionController {
  async create({ view, request, session }: HttpContext) {
    const next = request.qs().next
    if (typeof next === 'string' && RETURN_PATH.test(next)) session.setIntendedUrl(next)
    return view.render('pages/portal/session/create')
  }

  async store(ctx: HttpContext) {
    const account = await signIn(ctx, portalSide)
    if (!account) return ctx.response.redirect().toRoute('portal.session.create')
    // The sign-in page after sign-out (or idle sign-out) speaks the person's own language.
    rememberVisitorLocale(ctx, account.language)
    return ctx.response.redirect().toIntendedRoute('portal.home')
  }

  async destroy(ctx: HttpContext) {
    await signOut(ctx, portalSide)
    ctx.session.flash('notice', ctx.i18n.t('public.sign_in.signed_out'))
    return ctx.response.redirect().toRoute('portal.session.create')
  }
}
