import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { STAFF_ROLES } from '#models/staff_user'

/*
| /staff (invite, change a role), the staff command-line flags, and the
| two-factor code field. Calm words under each field.
*/
const messages = new SimpleMessagesProvider({
  'required': 'Please fill this in.',
  'string': 'Please fill this in.',
  'email': 'Please enter an email address like name@example.com.',
  'maxLength': 'Please keep this to {{ max }} characters or fewer.',
  'minLength': 'Please fill this in.',
  'enum': 'Please choose one of the roles.',
  'code.required': 'Please enter the 6-digit code from your app, or a recovery code.',
})

export const staffEmail = () => vine.string().trim().toLowerCase().email().maxLength(254)

export const inviteStaffValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(120),
  email: staffEmail(),
  role: vine.enum(STAFF_ROLES),
})
inviteStaffValidator.messagesProvider = messages

export const staffRoleValidator = vine.create({
  role: vine.enum(STAFF_ROLES),
})
staffRoleValidator.messagesProvider = messages

/** `--email` of the staff commands. */
export const staffEmailFlagValidator = vine.create({ email: staffEmail() })

/** A 6-digit code or a recovery code (spaces and dashes allowed), in one field. */
export const twoFactorCodeValidator = vine.create({
  code: vine.string().trim().minLength(1).maxLength(20),
})
twoFactorCodeValidator.messagesProvider = messages
