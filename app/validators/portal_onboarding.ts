import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { newPassword } from '#validators/password'
import { phoneNumber, type StoredPhonesMeta } from '#validators/rules/phone'
import { CALM_MESSAGES } from '#validators/calm_messages'
import { preferenceFields } from '#validators/portal_account'

/*
| The invited person's forms (set a password, confirm identity, profile)
| and password recovery. Plain, calm words under each field: on the portal
| in the person's language (controllers pass portalMessages(ctx), the words
| in resources/lang/<locale>/validator.json); the English provider below
| serves the staff's own invitation and reset forms, which use the same
| validators.
*/
const calmMessages = new SimpleMessagesProvider({
  ...CALM_MESSAGES,
  'password.required': 'Please choose a password.',
  'password.minLength': 'Please use at least {{ min }} characters. A few unrelated words work well.',
  'password_confirmation.confirmed':
    'The two passwords are not the same. Please type the password in both boxes again.',
  'email.required': 'Please enter your email address.',
  'phone.required': 'Please enter a phone number.',
  'contactName.required': 'Please enter the name of someone the practice can call in an emergency.',
  'contactRelationship.required': 'Please say who they are, for example "Sister" or "Friend".',
  'contactPhone.required': 'Please enter their phone number.',
})

function withCalmMessages<Validator extends { messagesProvider: unknown }>(validator: Validator) {
  validator.messagesProvider = calmMessages
  return validator
}

const shortText = (max: number) => vine.string().trim().maxLength(max)
const emailAddress = () => vine.string().trim().toLowerCase().email().maxLength(254)

/** A new password, typed twice (invitation and reset). */
export const choosePasswordValidator = withCalmMessages(
  vine.create({
    password: newPassword().confirmed(),
  })
)

/** The date of birth in three boxes, as people write it; checked as a calendar date afterwards. */
export const dateOfBirthValidator = vine.create({
  month: vine.number().withoutDecimals().range([1, 12]),
  day: vine.number().withoutDecimals().range([1, 31]),
  year: vine.number().withoutDecimals().range([1900, 2200]),
})

/** The profile step of onboarding: contact details, one emergency contact, preferences. */
export const onboardingProfileValidator = withCalmMessages(
  vine.withMetaData<StoredPhonesMeta>().create({
    phone: shortText(40).use(phoneNumber()),
    addressLine1: shortText(200).optional(),
    addressLine2: shortText(200).optional(),
    city: shortText(100).optional(),
    region: shortText(100).optional(),
    postalCode: shortText(20).optional(),
    contactName: shortText(120),
    contactRelationship: shortText(60),
    contactPhone: shortText(40).use(phoneNumber()),
    contactEmail: emailAddress().optional(),
    ...preferenceFields(),
  })
)

/** "Send me a reset link". */
export const forgotPasswordValidator = withCalmMessages(
  vine.create({
    email: emailAddress(),
  })
)
