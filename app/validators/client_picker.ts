import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { PICKER_PURPOSES } from '#pages/staff/client_picker'

/**
 * The client picker's search (posted: the term never goes into a URL).
 * `returnTo` is the form's page, checked against the purpose's own path.
 */
export const clientPickerSearchValidator = vine.create({
  term: vine.string().trim().maxLength(100).optional(),
  purpose: vine.enum(PICKER_PURPOSES),
  returnTo: vine.string().trim().maxLength(500).optional(),
})

clientPickerSearchValidator.messagesProvider = new SimpleMessagesProvider({
  'term.maxLength': 'Please search with {{ max }} characters or fewer.',
  'term.string': 'Please type a name or an email address.',
  'purpose.required': 'This search belongs to a form: please search from the form itself.',
  'purpose.enum': 'This search belongs to a form: please search from the form itself.',
  'returnTo.maxLength': 'This search belongs to a form: please search from the form itself.',
})
