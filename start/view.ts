/*
| Edge globals shared by every template.
*/
import edge from 'edge.js'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import practice from '#config/practice'
import { AREAS, mayOpen, type StaffArea } from '#abilities/areas'
import type StaffUser from '#models/staff_user'
import AppointmentRequest from '#models/appointment_request'
import { formatDate, formatDateTime, formatTime } from '#support/practice_time'
import { formatFileSize } from '#support/file_size'
import { phoneLink } from '#support/phone'
import { INTL_LOCALES, isPortalLocale, localeOptions } from '#support/locales'
import { contactRuleWarnings } from '#support/contact_preferences'

/** Changes whenever a served asset changes, so browsers may cache assets for a year. */
const assetVersion = createHash('sha256')
  .update(readFileSync(app.publicPath('css/app.css')))
  .update(readFileSync(app.publicPath('js/app.js')))
  .update(readFileSync(app.publicPath('js/quick_exit.js')))
  .digest('hex')
  .slice(0, 12)

let builtAreas: Set<string> | null = null
/** Sidebar entries: the areas this role may open, among those the app has routes for. */
function staffNavigation(staff: StaffUser) {
  builtAreas ??= new Set(router.toJSON().root.map((route) => route.pattern))
  return Object.entries(AREAS)
    .filter(([name, area]) => builtAreas!.has(area.href) && mayOpen(staff, name as StaffArea))
    .map(([, area]) => area)
}

/*
| Edge caches a compiled template (in production), but never a partial
| brought in with @include: compilePartial always passes the names of the
| local variables in scope, and the compiler skips its cache whenever it gets
| any — so every include was parsed and compiled again on every render. The
| compiled function depends only on the file and those names, so it is cached
| under both, in the compiler's own cache (and only when that is enabled).
|
| Kept by measurement (issue #25, README "Benchmark"): without it,
| /portal/appointments (its list is an included partial) cost 0.87 ms more
| CPU per page (median of three runs).
*/
for (const compiler of [edge.compiler, edge.asyncCompiler]) {
  const compile = compiler.compile.bind(compiler)
  compiler.compile = (templatePath, localVariables) => {
    if (!localVariables || !compiler.cacheManager.enabled) return compile(templatePath, localVariables)
    const key = `${templatePath}\0${localVariables.join(',')}`
    let compiled = compiler.cacheManager.get(key)
    if (!compiled) {
      compiled = compile(templatePath, localVariables)
      compiler.cacheManager.set(key, compiled)
    }
    return compiled
  }
}

/*
| Edge decides when it is constructed (before the cache is configured) to
| look for components on disk again before every render, which lists the
| components folders each time. In production the files do not change, so
| they are listed once.
|
| Kept by measurement (issue #25, README "Benchmark"): without it, a portal
| page cost 0.40 ms more CPU (app + PostgreSQL, mean of the three portal
| pages, medians of three runs).
*/
if (app.inProduction) {
  const listComponents = edge.loader.listComponents.bind(edge.loader)
  let components: ReturnType<typeof listComponents> | undefined
  edge.loader.listComponents = () => (components ??= listComponents())
}

edge.global('practice', practice)
edge.global('assetVersion', assetVersion)
edge.global('staffNavigation', staffNavigation)
/* The sidebar's count of open appointment requests this person handles (one count query per staff page). */
edge.global('openRequestCount', (staff: StaffUser) => AppointmentRequest.openCountFor(staff))
/* Dates in the page's language (`this` is the template's state, where i18n is shared). */
function intlLocaleOf(state: { i18n?: { locale: string } }) {
  const locale = state.i18n?.locale
  return isPortalLocale(locale) ? INTL_LOCALES[locale] : INTL_LOCALES.en
}
edge.global('formatDate', function (this: any, value: Parameters<typeof formatDate>[0]) {
  return formatDate(value, intlLocaleOf(this))
})
edge.global('formatTime', function (this: any, value: Parameters<typeof formatTime>[0]) {
  return formatTime(value, intlLocaleOf(this))
})
edge.global('formatDateTime', function (this: any, value: Parameters<typeof formatDateTime>[0]) {
  return formatDateTime(value, intlLocaleOf(this))
})
/* The practice's crisis line sentence (its own text, from the environment), in the page's language. */
edge.global('crisisLine', function (this: any) {
  return this.i18n?.locale === 'es' ? (practice.crisisLineTextEs ?? this.i18n.t('common.crisis_line')) : practice.crisisLineText
})
edge.global('localeOptions', localeOptions)
edge.global('formatFileSize', formatFileSize)
/*
| The practice's own number is on every page (the footer): its link is built
| once, since parsing a number with the full metadata cost more than a tenth
| of a millisecond a page (issue #25). Any other number (a client's) is
| formatted on each use and never kept.
*/
const practicePhoneLink = practice.phone ? phoneLink(practice.phone) : ''
edge.global('phoneLink', (number: string | null | undefined) =>
  number === practice.phone ? practicePhoneLink : phoneLink(number)
)
edge.global('contactRuleWarnings', contactRuleWarnings)
