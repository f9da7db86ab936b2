import type { I18n } from '@adonisjs/i18n'
import { callingOrderOptions, leadHourOptions } from '#support/contact_preferences'

/*
| The portal's choice lists in the page's language (resources/lang/<locale>/portal.json).
| The staff side keeps the English labels of app/support/contact_preferences.ts.
*/

/** "1 day before", "2 hours before", …: the usual lead times plus the current one. */
export function portalLeadHourOptions(i18n: I18n, current?: number) {
  return leadHourOptions(current).map(({ value }) => ({
    value,
    label: i18n.t('portal.preferences.lead_time_option', {
      unit: value % 24 === 0 ? 'days' : 'hours',
      count: value % 24 === 0 ? value / 24 : value,
    }),
  }))
}

/** "First", "Second", …: the calling order of emergency contacts. */
export function portalCallingOrderOptions(i18n: I18n, upTo: number) {
  return callingOrderOptions(upTo).map(({ value }) => ({
    value,
    label: i18n.t('portal.emergency_contacts.priority_option', { priority: value }),
  }))
}
