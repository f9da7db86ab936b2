import vine from '@vinejs/vine'
import type ClientUser from '#models/client_user'
import { REMINDER_CHANNELS } from '#support/contact_preferences'
import { PORTAL_LOCALES } from '#support/locales'
import { newPassword } from '#validators/password'
import { phoneNumber, type StoredPhonesMeta } from '#validators/rules/phone'

/*
| The portal's Account page. The client is never part of the input: every
| controller writes to the request's active client only. The words under
| each field are in the person's language: controllers pass
| portalMessages(ctx) (#validators/portal_messages).
*/

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
export const updateContactDetailsValidator = vine.withMetaData<StoredPhonesMeta>().create({
  phone: shortText(40).use(phoneNumber()),
  email: emailAddress().optional(),
  addressLine1: shortText(200).optional(),
  addressLine2: shortText(200).optional(),
  city: shortText(100).optional(),
  region: shortText(100).optional(),
  postalCode: shortText(20).optional(),
})

/** One emergency contact of the active client (add and edit). */
export const saveEmergencyContactValidator = vine.withMetaData<StoredPhonesMeta>().create({
  name: shortText(120),
  relationship: shortText(60),
  phone: shortText(40).use(phoneNumber()),
  email: emailAddress().optional(),
  priority: vine.number().withoutDecimals().range([1, 9]),
})

/**
 * Reminders, the account's language and consent, as Account and onboarding's profile ask them.
 * Unticked boxes are absent: false. "May we text" is not asked: the portal sends no texts,
 * staff record it on the client's page (DESIGN §15).
 */
export function preferenceFields() {
  return {
    reminderChannel: vine.enum(REMINDER_CHANNELS),
    reminderLeadHours: vine.number().withoutDecimals().range([1, 168]),
    language: vine.enum(PORTAL_LOCALES),
    consentEmail: vine.boolean().optional(),
    consentDetailsInEmail: vine.boolean().optional(),
  }
}

/** Account's preferences form also has discreet mode (DESIGN §15); onboarding's profile does not ask it. */
export const updatePreferencesValidator = vine.create({
  ...preferenceFields(),
  discreetMode: vine.boolean().optional(),
})

/** A new sign-in email for the account; `meta.account` is the signed-in account. */
export const changeSignInEmailValidator = vine.withMetaData<{ account: ClientUser }>().create({
  newEmail: emailAddress(),
  currentPassword: currentPassword(),
})

/** A new password for the account; `meta.account` is the signed-in account. */
export const changePasswordValidator = vine.withMetaData<{ account: ClientUser }>().create({
  currentPassword: currentPassword(),
  newPassword: newPassword().notSameAs('currentPassword').confirmed(),
})
