import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import type { FieldContext, Infer } from '@vinejs/vine/types'
import { DateTime } from 'luxon'
import { CLIENT_SORTS, CLIENT_STATUSES } from '#models/client'
import StaffUser from '#models/staff_user'
import { phoneNumber, type StoredPhonesMeta } from '#validators/rules/phone'
import { practiceNow } from '#support/practice_time'
import { DAY_FORMAT_HINT, normaliseCalendarDay } from '#support/calendar_day'
import { CONTACT_NOTE_MAX_LENGTH, REMINDER_CHANNELS, SESSION_LANGUAGES, type SessionLanguage } from '#support/contact_preferences'
import { PORTAL_LOCALES } from '#support/locales'

/*
| The staff Clients area: list filters, the search form and the client form.
*/

/** A GET form sends empty fields as ''; an empty filter is no filter. */
const blank = (value: unknown) => (value === '' ? undefined : value)

/** List filters from the query string: nothing in them identifies a client. */
export const clientListFilterValidator = vine.create({
  status: vine.enum(CLIENT_STATUSES).parse(blank).optional(),
  /** A clinician's id, or 'none' for clients without a primary clinician. */
  clinician: vine
    .string()
    .regex(/^(none|[1-9][0-9]{0,11})$/)
    .parse(blank)
    .optional(),
  page: vine.number().withoutDecimals().min(1).max(1_000_000).parse(blank).optional(),
  /** The table's order: a column and a direction, never a value. */
  sort: vine.enum(CLIENT_SORTS).parse(blank).optional(),
  dir: vine.enum(['asc', 'desc'] as const).parse(blank).optional(),
})

clientListFilterValidator.messagesProvider = new SimpleMessagesProvider(
  {
    'enum': 'Choose one of the listed statuses',
    'sort.enum': 'Sort by one of the table’s columns',
    'dir.enum': 'Sort up or down',
    'regex': 'Choose one of the listed clinicians',
    'string': 'Choose one of the listed clinicians',
    'number': 'Enter the page as a whole number',
    'withoutDecimals': 'Enter the page as a whole number',
    'min': 'Enter the page as a whole number',
    'max': 'Enter a smaller page number',
  },
  { status: 'status', clinician: 'clinician', page: 'page', sort: 'sort', dir: 'sort' }
)

/**
 * The search form. It is posted, so the term never appears in a URL or an
 * access log; the filters come along to keep them in the list's URL.
 */
export const clientSearchValidator = vine.create({
  term: vine.string().trim().maxLength(100).optional(),
  status: vine.enum(CLIENT_STATUSES).optional(),
  clinician: vine
    .string()
    .regex(/^(none|[1-9][0-9]{0,11})$/)
    .optional(),
  sort: vine.enum(CLIENT_SORTS).optional(),
  dir: vine.enum(['asc', 'desc'] as const).optional(),
})

clientSearchValidator.messagesProvider = new SimpleMessagesProvider({
  'term.maxLength': 'Please search with {{ max }} characters or fewer.',
  'term.string': 'Please type a name or an email address.',
  'enum': 'Choose one of the listed statuses.',
  'regex': 'Choose one of the listed clinicians.',
  'string': 'Choose one of the listed clinicians.',
})

/** A real day (as a date input sends or shows it), not after today in the practice; it becomes YYYY-MM-DD. */
const dateOfBirthRule = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  if (typeof value !== 'string') return
  const isoDay = normaliseCalendarDay(value)
  const day = isoDay ? DateTime.fromISO(isoDay) : null
  if (!isoDay || !day?.isValid) {
    field.report(`Please enter the date of birth as ${DAY_FORMAT_HINT}, for example 04/12/1990.`, 'dateOfBirth', field)
  } else if (isoDay > practiceNow().toISODate()!) {
    field.report('The date of birth cannot be in the future.', 'dateOfBirth', field)
  } else if (day.year < 1900) {
    field.report('Please check the year of the date of birth.', 'dateOfBirth', field)
  } else {
    field.mutate(isoDay, field)
  }
})

/**
 * An active clinician, or the client's current primary clinician (who may
 * have left since: saving other changes must not force a new choice).
 */
const assignableClinicianRule = vine.createRule(
  async (value: unknown, _options: undefined, field: FieldContext) => {
    if (typeof value !== 'number') return
    if (value === field.meta.currentClinicianId) return
    const clinician = await StaffUser.query()
      .withScopes((scopes) => scopes.clinicians())
      .where('id', value)
      .first()
    if (!clinician) field.report('Please choose one of the listed clinicians.', 'assignableClinician', field)
  },
  { isAsync: true }
)

const shortText = (max: number) => vine.string().trim().maxLength(max)
const name = () => shortText(100).minLength(1)

/** The client form, for both adding and editing a client. */
function clientForm() {
  return vine.withMetaData<{ currentClinicianId: number | null } & StoredPhonesMeta>().create({
    firstName: name(),
    lastName: name(),
    preferredName: shortText(100).optional(),
    dateOfBirth: vine
      .string()
      .trim()
      .use(dateOfBirthRule())
      .transform((value) => DateTime.fromISO(value)),
    email: vine.string().trim().toLowerCase().email().maxLength(254).optional(),
    phone: shortText(40).use(phoneNumber()).optional(),
    addressLine1: shortText(200).optional(),
    addressLine2: shortText(200).optional(),
    city: shortText(100).optional(),
    region: shortText(100).optional(),
    postalCode: shortText(20).optional(),
    status: vine.enum(CLIENT_STATUSES),
    primaryClinicianId: vine.number().withoutDecimals().positive().use(assignableClinicianRule()).optional(),
    sessionLanguage: vine.enum(Object.keys(SESSION_LANGUAGES) as SessionLanguage[]).optional(),
    interpreterNeeded: vine.boolean().optional(),
    emailLanguage: vine.enum(PORTAL_LOCALES).optional(),
  })
}

const clientFormMessages = new SimpleMessagesProvider({
  'required': 'Please fill this in.',
  'string': 'Please fill this in.',
  'minLength': 'Please fill this in.',
  'maxLength': 'Please keep this to {{ max }} characters or fewer.',
  'email': 'Please enter an email address like name@example.com.',
  'enum': 'Please choose one of the options.',
  'number': 'Please choose one of the listed clinicians.',
  'withoutDecimals': 'Please choose one of the listed clinicians.',
  'positive': 'Please choose one of the listed clinicians.',
  'firstName.required': 'Please enter the first name.',
  'firstName.minLength': 'Please enter the first name.',
  'lastName.required': 'Please enter the last name.',
  'lastName.minLength': 'Please enter the last name.',
  'dateOfBirth.required': 'Please enter the date of birth.',
  'status.required': 'Please choose a status.',
})

export const createClientValidator = clientForm()
createClientValidator.messagesProvider = clientFormMessages

export const updateClientValidator = clientForm()
updateClientValidator.messagesProvider = clientFormMessages

/** The client form's values as columns; an emptied optional field is cleared. */
export function clientColumns(details: Infer<typeof createClientValidator>) {
  return {
    firstName: details.firstName,
    lastName: details.lastName,
    preferredName: details.preferredName || null,
    dateOfBirth: details.dateOfBirth,
    email: details.email || null,
    phone: details.phone || null,
    addressLine1: details.addressLine1 || null,
    addressLine2: details.addressLine2 || null,
    city: details.city || null,
    region: details.region || null,
    postalCode: details.postalCode || null,
    status: details.status,
    sessionLanguage: details.sessionLanguage ?? null,
    // An unticked box is not sent at all: it means "no".
    interpreterNeeded: details.interpreterNeeded ?? false,
    // Browsers always send the select; a request without it keeps what is on file.
    ...(details.emailLanguage ? { emailLanguage: details.emailLanguage } : {}),
  }
}

/** A client's reminder preference and contact rules, as staff set them on the client's page (DESIGN §15). Unticked boxes are absent: false. */
export const contactRulesValidator = vine.create({
  reminderChannel: vine.enum(REMINDER_CHANNELS),
  reminderLeadHours: vine.number().withoutDecimals().range([1, 168]),
  consentEmail: vine.boolean().optional(),
  consentSms: vine.boolean().optional(),
  consentDetailsInEmail: vine.boolean().optional(),
  voicemailAllowed: vine.boolean().optional(),
  discreetMode: vine.boolean().optional(),
  contactNote: vine.string().trim().maxLength(CONTACT_NOTE_MAX_LENGTH).nullable().optional(),
})
contactRulesValidator.messagesProvider = new SimpleMessagesProvider({
  'contactNote.maxLength': 'Please keep the note to {{ max }} characters or fewer.',
  'contactNote.string': 'Please write the note as plain text.',
  'reminderChannel.required': 'Please choose how reminders are sent.',
  'reminderChannel.enum': 'Please choose email or no reminders.',
  'reminderLeadHours.required': 'Please choose a lead time.',
  'reminderLeadHours.number': 'Please choose a lead time from the list.',
  'reminderLeadHours.withoutDecimals': 'Please choose a lead time from the list.',
  'reminderLeadHours.range': 'Please choose a lead time from {{ min }} to {{ max }} hours.',
  'boolean': 'Please tick the box or leave it empty.',
})
