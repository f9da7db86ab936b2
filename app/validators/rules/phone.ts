import vine from '@vinejs/vine'
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'

/*
| Phone numbers: typed any way people write them, checked against the full
| numbering metadata, stored in E.164 (+12135550142) so every number has one
| spelling, shown back in the form people recognise.
*/
const DEFAULT_COUNTRY: CountryCode = 'US'

/** The E.164 form of a valid number, or null. */
export function toE164(input: string) {
  const parsed = parsePhoneNumberFromString(input, DEFAULT_COUNTRY)
  return parsed?.isValid() ? parsed.number : null
}

/** "(213) 555-0142" for US numbers, "+44 20 7946 0958" for others. */
export function formatPhoneForDisplay(stored: string | null | undefined) {
  if (!stored) return ''
  const parsed = parsePhoneNumberFromString(stored, DEFAULT_COUNTRY)
  if (!parsed) return stored
  return parsed.country === DEFAULT_COUNTRY ? parsed.formatNational() : parsed.formatInternational()
}

/** A VineJS rule: the value must be a valid phone number; it becomes its E.164 form. */
export const phoneNumber = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const e164 = toE164(value)
  if (!e164) {
    field.report('Please enter a full phone number with its area code, like (213) 555-0142.', 'phone', field)
    return
  }
  field.mutate(e164, field)
})
