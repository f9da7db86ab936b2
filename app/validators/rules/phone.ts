import vine from '@vinejs/vine'
import { formatPhoneForDisplay, parsePhone, toE164 } from '#support/phone'

/*
| The rule of every phone field: typed any way people write them, stored in
| E.164 (#support/phone). A *possible* number (the right length for its
| country) is accepted; one that is possible but not known to be in use only
| earns a calm hint next to the field (phoneCheckHint), never an error:
| numbers imported from another system, or new number ranges, must not block
| a save. And a number the person did not change is never refused, whatever
| it is (the form passes the stored numbers as `meta.storedPhones`).
*/

/** Whether what was submitted is the stored number, as stored or as the form showed it. */
function isUnchanged(value: string, stored: string) {
  const typed = value.trim()
  return typed === stored || typed === formatPhoneForDisplay(stored) || parsePhone(typed)?.number === stored
}

export interface StoredPhonesMeta {
  /** Field name → the number on file, so an unchanged number always saves. */
  storedPhones?: Record<string, string | null | undefined>
}

/** A VineJS rule: a possible phone number (or the unchanged stored one); it becomes its E.164 form. */
export const phoneNumber = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const stored = (field.meta as StoredPhonesMeta | undefined)?.storedPhones?.[String(field.name)]
  if (stored && isUnchanged(value, stored)) {
    field.mutate(stored, field)
    return
  }
  const e164 = toE164(value)
  if (!e164) {
    field.report('Please enter a full phone number with its area code, like (213) 555-0142.', 'phone', field)
    return
  }
  field.mutate(e164, field)
})
