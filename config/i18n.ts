import app from '@adonisjs/core/services/app'
import { defineConfig, loaders } from '@adonisjs/i18n'
import type { LoaderFactory } from '@adonisjs/i18n/types'
import { PORTAL_LOCALES } from '#support/locales'
import { CompilingIcuFormatter } from '#services/icu_formatter'

/*
| The portal's languages (app/support/locales.ts), ICU messages from
| resources/lang/<locale>/*.json. The staff side stays English.
|
| Tests add a pseudo-locale, `zz`: every English message wrapped in ⟦…⟧, so a
| page rendered in it shows at a glance any text that bypassed the catalogs.
*/
export const PSEUDO_LOCALE = 'zz'

const catalogs = loaders.fs({ location: app.languageFilesPath() })

const pseudoLocale: LoaderFactory = (config) => ({
  async load() {
    const { en } = await (await catalogs.resolver(app))(config).load()
    return { [PSEUDO_LOCALE]: Object.fromEntries(Object.entries(en).map(([key, message]) => [key, `⟦${message}⟧`])) }
  },
})

const i18nConfig = defineConfig({
  defaultLocale: 'en',
  supportedLocales: [...PORTAL_LOCALES, ...(app.inTest ? [PSEUDO_LOCALE] : [])],
  /* ICU messages, each compiled once per language (app/services/icu_formatter.ts). */
  formatter: () => new CompilingIcuFormatter(),
  loaders: [catalogs, ...(app.inTest ? [pseudoLocale] : [])],
})

export default i18nConfig
