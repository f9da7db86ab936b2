import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import type ClientUser from '#models/client_user'
import { REMINDER_CHANNELS } from '#support/contact_preferences'
import { PORTAL_LOCALES } from '#support/locales'
import { newPassword } from '#validators/password'
import { phoneNumber, type StoredPhonesMeta } from '#validators/rules/phone'
import { CALM_MESSAGES } from '#validators/calm_messages'

/*
| The portal's Account page. The client is never part of the input: every
| controller writes to the request's active client only.
*/

/** Plain, calm words under each field instead of VineJS's developer messages. */
const calmMessages = new SimpleMessagesProvider({
  ...CALM_MESSAGES,
  'phone.required': 'Please enter a phone number.',
  'name.required': 'Please enter their name.',
  'relationship.required': 'Please say who they are to you, for example "Sister" or "Friend".',
  'newEmail.required': 'Please enter the new email address.',
  'currentPassword.required': 'Please enter your current password.',
  'newPassword.required': 'Please choose a new password.',
  'newPassword.minLength':
    'Please use at least {{ min }} characters. A few unrelated words work well.',
  'newPassword.notSameAs': 'Please choose a password that is different from your current one.',
  'newPassword_confirmation.confirmed':
    'The two new passwords are not the same. Please type the new password in both boxes again.',
})

function withCalmMessages<Validator extends { messagesProvider: unknown }>(validator: Validator) {
  validator.messagesProvider = calmMessages
  return validator
}

const emailAddress = () => vine.string().trim().toLowerCase().email().maxLength(254)
const shortText = (max: number) => vine.string().trim().maxLength(max)

/** The current password, checked against the signed-in account (given as metadata). */
const isCurrentPassword = vine.createRule(
  async (value, _options, field) => {
    if (typeof value !== 'string') return
    const account = field.meta.account as ClientUser
    if (!(await account.verifyPassword(value))) {
      field.report('That is not your current password.', 'currentPassword', field)
    }
  },
  { isAsync: true }
)
const currentPassword = () => vine.string().maxLength(256).use(isCurrentPassword())

/** Phone, email and address of the active client. */
export const updateContactDetailsValidator = withCalmMessages(
  vine.withMetaData<StoredPhonesMeta>().create({
    phone: shortText(40).use(phoneNumber()),
    email: emailAddress().optional(),
    addressLine1: shortText(200).optional(),
    addressLine2: shortText(200).optional(),
    city: shortText(100).optional(),
    region: shortText(100).optional(),
    postalCode: shortText(20).optional(),
  })
)

/** One emergency contact of the active client (add and edit). */
export const saveEmergencyContactValidator = withCalmMessages(
  vine.withMetaData<StoredPhonesMeta>().create({
    name: shortText(120),
    relationship: shortText(60),
    phone: shortText(40).use(phoneNumber()),
    email: emailAddress().optional(),
    priority: vine.number().withoutDecimals().range([1, 9]),
  })
)

/** Reminders, language and consent of the active client. Unticked boxes are absent: false. */
export const updatePreferencesValidator = withCalmMessages(
  vine.create({
    reminderChannel: vine.enum(REMINDER_CHANNELS),
    reminderLeadHours: vine.number().withoutDecimals().range([1, 168]),
    language: vine.enum(PORTAL_LOCALES),
    consentEmail: vine.boolean().optional(),
    consentSms: vine.boolean().optional(),
    consentDetailsInEmail: vine.boolean().optional(),
  })
)

/** A new sign-in email for the account; `meta.account` is the signed-in account. */
export const changeSignInEmailValidator = withCalmMessages(
  vine.withMetaData<{ account: ClientUser }>().create({
    newEmail: emailAddress(),
    currentPassword: currentPassword(),
  })
)

/** A new password for the account; `meta.account` is the signed-in account. */
export const changePasswordValidator = withCalmMessages(
  vine.withMetaData<{ account: ClientUser }>().create({
    currentPassword: currentPassword(),
    newPassword: newPassword().notSameAs('currentPassword').confirmed(),
  })
)
