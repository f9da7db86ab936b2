import { SCHEDULING_MODES } from '#models/practice_setting'
import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { RELATIONSHIPS } from '#models/client_user_link'
import { PORTAL_LOCALES } from '#support/locales'

/*
| Portal Settings (staff) and the portal:* / tokens:* commands. Rules that
| need the database (active client, date of birth on file, duplicates,
| consent) live in app/actions/invitations/, shared by both.
*/
const messages = new SimpleMessagesProvider({
  'required': 'Please fill this in.',
  'email': 'Please enter an email address like name@example.com.',
  'maxLength': 'Please keep this to {{ max }} characters or fewer.',
  'clientId.required': 'Please choose a client.',
  'clientId.number': 'Please choose a client from the list.',
  'clientId.withoutDecimals': 'Please choose a client from the list.',
  'clientId.positive': 'Please choose a client from the list.',
  'relationship.required': 'Please choose who the person is to the client.',
  'relationship.enum': 'Please choose one of: {{ choices }}.',
  'email.required': 'Please enter the email address to send the invitation to.',
  'language.enum': 'Please choose a language from the list.',
  'boolean': 'Please tick the box or leave it empty.',
  'days.number': 'Please give a whole number of days.',
  'days.withoutDecimals': 'Please give a whole number of days.',
  'days.range': 'Please give a number of days from {{ min }} to {{ max }}.',
})

function withMessages<Validator extends { messagesProvider: unknown }>(validator: Validator) {
  validator.messagesProvider = messages
  return validator
}

const emailAddress = () => vine.string().trim().toLowerCase().email().maxLength(254)

/** An invitation, from the staff form or `node ace portal:invite`. */
export const sendInvitationValidator = withMessages(
  vine.create({
    clientId: vine.number().withoutDecimals().positive(),
    relationship: vine.enum(RELATIONSHIPS),
    recipientName: vine.string().trim().maxLength(120).optional(),
    email: emailAddress(),
    consent: vine.boolean().optional(),
    /** The invitation's language (its email, then the new account's); none: the client's email language. */
    language: vine.enum(PORTAL_LOCALES).optional(),
  })
)

/** `node ace portal:disable --email …` */
export const disableAccountValidator = withMessages(
  vine.create({
    email: emailAddress(),
  })
)

/** `node ace tokens:purge [--days 30]` */
export const purgeTokensValidator = withMessages(
  vine.create({
    days: vine.number().withoutDecimals().range([1, 3650]).optional(),
  })
)

/** Portal Settings' "Reminders and cancellations" (DESIGN §13); the database checks the same ranges. */
export const practiceSettingsValidator = vine.create({
  remindersEnabled: vine.boolean().optional(),
  defaultReminderLeadHours: vine.number().withoutDecimals().range([1, 168]),
  cancellationWindowHours: vine.number().withoutDecimals().range([0, 168]),
  senderName: vine.string().trim().maxLength(100).optional(),
  schedulingMode: vine.enum(SCHEDULING_MODES),
  quickExitUrl: vine
    .string()
    .trim()
    .maxLength(300)
    .url({ require_protocol: true, protocols: ['https'], require_tld: true }),
  teenAge: vine.number().withoutDecimals().range([10, 17]),
  dropOffDays: vine.number().withoutDecimals().range([14, 365]),
})
practiceSettingsValidator.messagesProvider = new SimpleMessagesProvider({
  'required': 'Please fill this in.',
  'number': 'Please give a whole number of hours.',
  'withoutDecimals': 'Please give a whole number of hours.',
  'range': 'Please give a number of hours from {{ min }} to {{ max }}.',
  'boolean': 'Please tick the box or leave it empty.',
  'senderName.maxLength': 'Please keep the sender name to {{ max }} characters or fewer.',
  'defaultReminderLeadHours.required': 'Please choose a lead time.',
  'defaultReminderLeadHours.range': 'Please choose a lead time from {{ min }} to {{ max }} hours.',
  'cancellationWindowHours.required': 'Please give the cancellation window in hours (0 for none).',
  'schedulingMode.required': 'Please choose what clients may do.',
  'schedulingMode.enum': 'Please choose what clients may do.',
  'quickExitUrl.required': 'Please give the address “Leave this site” opens.',
  'quickExitUrl.url': 'Please give a full https:// address, such as https://www.weather.com/.',
  'quickExitUrl.maxLength': 'Please keep the address to {{ max }} characters or fewer.',
  'teenAge.required': 'Please give an age from 10 to 17.',
  'teenAge.number': 'Please give an age from 10 to 17.',
  'teenAge.withoutDecimals': 'Please give an age from 10 to 17.',
  'teenAge.range': 'Please give an age from {{ min }} to {{ max }}.',
  'dropOffDays.required': 'Please give a number of days from 14 to 365.',
  'dropOffDays.number': 'Please give a whole number of days.',
  'dropOffDays.withoutDecimals': 'Please give a whole number of days.',
  'dropOffDays.range': 'Please give a number of days from {{ min }} to {{ max }}.',
})
