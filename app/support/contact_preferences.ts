/*
| The choices a client has for being contacted: reminder channel and lead
| time, language, and the calling order of emergency contacts. Plain data
| and option lists, shared by the models, the validators and the forms.
*/

export const REMINDER_CHANNELS = ['email', 'none'] as const
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number]

/** The lead times offered to clients; the database allows 1 to 168 hours. */
export const REMINDER_LEAD_HOURS_CHOICES = [2, 24, 48] as const

/**
 * Languages a client may need for their sessions (an interpreter, when it is
 * not the clinician's), each named in its own language. Staff-facing; the
 * portal's own languages are app/support/locales.ts.
 */
export const SESSION_LANGUAGES = {
  en: 'English',
  es: 'Español',
  zh: '中文',
  vi: 'Tiếng Việt',
  tl: 'Tagalog',
  ko: '한국어',
  ar: 'العربية',
  ru: 'Русский',
  fr: 'Français',
  ht: 'Kreyòl ayisyen',
  pt: 'Português',
} as const
export type SessionLanguage = keyof typeof SESSION_LANGUAGES

export function sessionLanguageOptions() {
  return Object.entries(SESSION_LANGUAGES).map(([value, label]) => ({ value, label }))
}

/** The usual lead times, plus the current one if staff set something else. */
export function leadHourOptions(current?: number) {
  const hours = [...new Set<number>([...REMINDER_LEAD_HOURS_CHOICES, ...(current ? [current] : [])])].sort((a, b) => a - b)
  return hours.map((value) => ({ value, label: leadTimeLabel(value) }))
}

function leadTimeLabel(hours: number) {
  if (hours % 24 === 0) return hours === 24 ? '1 day before' : `${hours / 24} days before`
  return hours === 1 ? '1 hour before' : `${hours} hours before`
}

/** Plain words for priority 1–9: the order in which the practice calls. */
export const CALLING_ORDER_LABELS = [
  'First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth', 'Ninth',
]

/** Choices for the calling order: first to `upTo` (at least third, at most ninth). */
export function callingOrderOptions(upTo: number) {
  const count = Math.min(Math.max(upTo, 3), CALLING_ORDER_LABELS.length)
  return CALLING_ORDER_LABELS.slice(0, count).map((label, index) => ({ value: index + 1, label }))
}

/** The longest contact note (the client_preferences_contact_note check in the database). */
export const CONTACT_NOTE_MAX_LENGTH = 500

/** The contact rules staff must see before reaching out (DESIGN §15). */
export interface ContactRuleFacts {
  consentEmail: boolean
  consentSms: boolean
  voicemailAllowed: boolean
  discreetMode: boolean
  contactNote: string | null
}

/**
 * The rules that restrict contact, in plain words for the staff banner on
 * the client record and the client's appointment pages; empty when nothing
 * departs from the usual (the note is shown on its own). "No texts" is the
 * usual state (texting needs consent), so it is listed only alongside
 * another rule, never a reason for a banner by itself.
 */
export function contactRuleWarnings(rules: ContactRuleFacts): string[] {
  const warnings = [
    ...(rules.discreetMode ? ['Discreet mode: plain emails, never the practice’s name'] : []),
    ...(rules.voicemailAllowed ? [] : ['Do not leave voicemail']),
    ...(rules.consentEmail ? [] : ['No email']),
  ]
  const noteOrRule = warnings.length > 0 || !!rules.contactNote
  return noteOrRule && !rules.consentSms ? [...warnings, 'No texts'] : warnings
}
