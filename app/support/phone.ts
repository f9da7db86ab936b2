import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import string from '@adonisjs/core/helpers/string'

/*
| Phone numbers: stored in E.164 (+12135550142) so every number has one
| spelling, shown back in the form people recognise. The full numbering
| metadata (`/max`) tells a possible number (right length) from one known to
| be in use.
*/
const DEFAULT_COUNTRY: CountryCode = 'US'

export const parsePhone = (input: string) => parsePhoneNumberFromString(input, DEFAULT_COUNTRY)

/** The E.164 form of a possible number, or null. */
export function toE164(input: string) {
  const parsed = parsePhone(input)
  return parsed?.isPossible() ? parsed.number : null
}

/** "(213) 555-0142" for US numbers, "+44 20 7946 0958" for others. */
export function formatPhoneForDisplay(stored: string | null | undefined) {
  if (!stored) return ''
  const parsed = parsePhone(stored)
  if (!parsed) return stored
  return parsed.country === DEFAULT_COUNTRY ? parsed.formatNational() : parsed.formatInternational()
}

export const UNUSUAL_PHONE_HINT = 'This number does not look like one in use. Please check it.'

/** The hint for a stored number that is not known to be in use; null when it looks right. */
export function phoneCheckHint(stored: string | null | undefined) {
  if (!stored) return null
  return parsePhone(stored)?.isValid() ? null : UNUSUAL_PHONE_HINT
}


/**
 * A phone number as a `tel:` link (HTML, escaped; for `{{{ }}}`), so a tap
 * on a phone calls it. Takes a stored E.164 number or one written for people
 * (the practice's); shows it the way people write it.
 */
export function phoneLink(number: string | null | undefined) {
  if (!number) return ''
  const parsed = parsePhone(number)
  const dial = parsed?.isPossible() ? parsed.number : number.replace(/[^0-9+]/g, '')
  const shown = number.startsWith('+') ? formatPhoneForDisplay(number) : number
  return `<a href="tel:${string.escapeHTML(dial)}" class="phone">${string.escapeHTML(shown)}</a>`
}
