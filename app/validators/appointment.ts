import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import Client from '#models/client'
import StaffUser from '#models/staff_user'
import AppointmentType from '#models/appointment_type'
import { APPOINTMENT_SORTS, OUTCOME_STATUSES } from '#models/appointment'
import { parsePracticeDay } from '#support/audit_range'
import { calendarDay } from '#validators/rules/calendar_day'
import { VIDEO_ROOM_URL_MESSAGE, videoRoomUrl } from '#validators/rules/video_room_url'

/*
| The staff Appointments area: the list's filters, the booking and
| reschedule forms, cancellation and outcome, appointment types and the
| session note. Times come from datetime-local inputs and are read in the
| practice's time zone (never the server's or the browser's).
*/

/** The longest appointment that can be booked, as appointment types allow. */
export const MAX_APPOINTMENT_MINUTES = 480
/** Bookings from a year back (recording what happened) to two years ahead. */
const BOOKING_WINDOW = { pastYears: 1, futureYears: 2 }
/** The widest date range the list shows at once. */
export const MAX_LIST_DAYS = 92
export const MAX_NOTE_LENGTH = 20_000

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/
const MAX_ID = Number.MAX_SAFE_INTEGER

/**
 * What a datetime-local input sent ("2026-03-03T14:30"), as that moment in
 * the practice's time zone; null when it is not a date and time at all, and
 * 'skipped' for a time the clocks jump over there (spring forward), which
 * Luxon would otherwise move silently.
 */
export function parsePracticeDateTime(text: string): DateTime | 'skipped' | null {
  if (!LOCAL_DATE_TIME.test(text)) return null
  const moment = DateTime.fromISO(text, { zone: practice.timeZone })
  if (!moment.isValid) return null
  if (moment.toFormat("yyyy-MM-dd'T'HH:mm") !== text.slice(0, 16)) return 'skipped'
  return moment.startOf('minute')
}

/** A date and time the practice's calendar has, inside the booking window. */
const practiceDateTimeRule = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  if (typeof value !== 'string') return
  const moment = parsePracticeDateTime(value)
  if (moment === null) {
    field.report('Please enter a date and time, for example 2026-03-03 at 14:30.', 'practiceDateTime', field)
  } else if (moment === 'skipped') {
    field.report('The clocks change at that time, so it does not exist that day. Please choose another time.', 'practiceDateTime', field)
  } else {
    const now = DateTime.now()
    if (moment < now.minus({ years: BOOKING_WINDOW.pastYears }) || moment > now.plus({ years: BOOKING_WINDOW.futureYears })) {
      field.report('Please check the date: appointments can be booked up to 2 years ahead and recorded up to a year back.', 'bookingWindow', field)
    }
  }
})

/** The end comes after the start, within the longest appointment. */
const endsAfterStartRule = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  const start = field.parent?.startsAt
  if (!field.isValid || typeof value !== 'string' || typeof start !== 'string') return
  const startsAt = parsePracticeDateTime(start)
  const endsAt = parsePracticeDateTime(value)
  if (!(startsAt instanceof DateTime) || !(endsAt instanceof DateTime)) return
  if (endsAt <= startsAt) {
    field.report('The end must be after the start.', 'endsAfterStart', field)
  } else if (endsAt.diff(startsAt, 'minutes').minutes > MAX_APPOINTMENT_MINUTES) {
    field.report('An appointment can last at most 8 hours.', 'maxDuration', field)
  }
})

interface BookingMeta {
  staff: Pick<StaffUser, 'id' | 'role'>
  /** When rescheduling: the appointment's provider and type, kept even if no longer active. */
  currentProviderId?: number
  currentTypeId?: number
}

/**
 * An active client the staff member may see. A client outside a
 * clinician's caseload gets the same answer as one that does not exist.
 */
const bookableClientRule = vine.createRule(
  async (value: unknown, _options: undefined, field: FieldContext) => {
    if (typeof value !== 'number') return
    const { staff } = field.meta as BookingMeta
    const client = await Client.query()
      .withScopes((scopes) => scopes.visibleTo(staff))
      .where('clients.id', value)
      .select('clients.id', 'clients.status')
      .first()
    if (!client) {
      field.report('Please choose one of the listed clients.', 'bookableClient', field)
    } else if (client.status !== 'active') {
      field.report('This client is not active, so they cannot be booked. Their status can be changed on their page.', 'bookableClient', field)
    }
  },
  { isAsync: true }
)

/** An active clinician, or the appointment's current provider. */
const bookableProviderRule = vine.createRule(
  async (value: unknown, _options: undefined, field: FieldContext) => {
    if (typeof value !== 'number') return
    if (value === (field.meta as BookingMeta).currentProviderId) return
    const clinician = await StaffUser.query()
      .withScopes((scopes) => scopes.clinicians())
      .where('id', value)
      .first()
    if (!clinician) field.report('Please choose one of the listed clinicians.', 'bookableProvider', field)
  },
  { isAsync: true }
)

/** An active appointment type, or the appointment's current one. */
const bookableTypeRule = vine.createRule(
  async (value: unknown, _options: undefined, field: FieldContext) => {
    if (typeof value !== 'number') return
    if (value === (field.meta as BookingMeta).currentTypeId) return
    const type = await AppointmentType.query()
      .withScopes((scopes) => scopes.active())
      .where('id', value)
      .first()
    if (!type) field.report('Please choose one of the listed types.', 'bookableType', field)
  },
  { isAsync: true }
)

const id = () => vine.number().withoutDecimals().positive().max(MAX_ID)

/** Everything but the client: what a reschedule may change. */
function bookingFields() {
  return {
    providerId: id().use(bookableProviderRule()),
    appointmentTypeId: id().use(bookableTypeRule()),
    startsAt: vine
      .string()
      .trim()
      .use(practiceDateTimeRule())
      .transform((value) => parsePracticeDateTime(value) as DateTime),
    /** Empty: the type's usual length. */
    endsAt: vine
      .string()
      .trim()
      .use(practiceDateTimeRule())
      .use(endsAfterStartRule())
      .transform((value) => parsePracticeDateTime(value) as DateTime)
      .optional(),
    modality: vine.enum(['in_person', 'telehealth'] as const),
    location: vine.string().trim().maxLength(200).optional(),
    /** Telehealth: this appointment's own room; empty: the provider's. */
    videoUrl: videoRoomUrl().optional(),
  }
}

const bookingMessages = new SimpleMessagesProvider({
  'required': 'Please fill this in.',
  'string': 'Please fill this in.',
  'maxLength': 'Please keep this to {{ max }} characters or fewer.',
  'enum': 'Please choose one of the options.',
  'clientId.required': 'Please choose a client.',
  'clientId.number': 'Please choose one of the listed clients.',
  'clientId.withoutDecimals': 'Please choose one of the listed clients.',
  'clientId.positive': 'Please choose one of the listed clients.',
  'clientId.max': 'Please choose one of the listed clients.',
  'providerId.required': 'Please choose the clinician.',
  'providerId.number': 'Please choose one of the listed clinicians.',
  'providerId.withoutDecimals': 'Please choose one of the listed clinicians.',
  'providerId.positive': 'Please choose one of the listed clinicians.',
  'providerId.max': 'Please choose one of the listed clinicians.',
  'appointmentTypeId.required': 'Please choose the type of appointment.',
  'appointmentTypeId.number': 'Please choose one of the listed types.',
  'appointmentTypeId.withoutDecimals': 'Please choose one of the listed types.',
  'appointmentTypeId.positive': 'Please choose one of the listed types.',
  'appointmentTypeId.max': 'Please choose one of the listed types.',
  'startsAt.required': 'Please enter when the appointment starts.',
  'modality.required': 'Please choose in person or telehealth.',
  'modality.enum': 'Please choose in person or telehealth.',
  'videoUrl.url': VIDEO_ROOM_URL_MESSAGE,
  'videoUrl.regex': VIDEO_ROOM_URL_MESSAGE,
})

/** A new appointment. `meta.staff` is who books: the client must be in their view. */
export const createAppointmentValidator = vine.withMetaData<BookingMeta>().create({
  clientId: id().use(bookableClientRule()),
  ...bookingFields(),
})
createAppointmentValidator.messagesProvider = bookingMessages

/** Moving an appointment: time, provider, type, place. The client stays. */
export const rescheduleAppointmentValidator = vine.withMetaData<BookingMeta>().create(bookingFields())
rescheduleAppointmentValidator.messagesProvider = bookingMessages

/** Cancelling: a late cancellation is recorded as late unless staff tick `notLate`. */
export const cancelAppointmentValidator = vine.create({
  notLate: vine.boolean().optional(),
})
cancelAppointmentValidator.messagesProvider = new SimpleMessagesProvider({
  boolean: 'Please tick the box or leave it empty.',
})

export const recordOutcomeValidator = vine.create({
  status: vine.enum(OUTCOME_STATUSES),
})
recordOutcomeValidator.messagesProvider = new SimpleMessagesProvider({
  'required': 'Please choose attended or missed.',
  'enum': 'Please choose attended or missed.',
})

/** A GET form sends empty fields as ''; an empty filter is no filter. */
const blank = (value: unknown) => (value === '' ? undefined : value)


/** The list's end day: not before the start, and not too far after it. */
const listEndRule = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  const start = field.parent?.from
  if (!field.isValid || typeof value !== 'string' || typeof start !== 'string') return
  const first = parsePracticeDay(start)
  const last = parsePracticeDay(value)
  if (!first || !last) return
  if (last < first) {
    field.report('The end date is before the start date.', 'notBefore', field)
  } else if (last.diff(first, 'days').days >= MAX_LIST_DAYS) {
    field.report(`Please choose at most ${MAX_LIST_DAYS} days at a time.`, 'maxDays', field)
  }
})

/** The list's filters, from the query string (no client is named in it). */
export const appointmentListValidator = vine.create({
  from: vine.string().trim().use(calendarDay()).parse(blank).optional(),
  to: vine.string().trim().use(calendarDay()).use(listEndRule()).parse(blank).optional(),
  provider: id().parse(blank).optional(),
  page: vine.number().withoutDecimals().min(1).max(100_000).parse(blank).optional(),
  /** The table's order: a column and a direction, never a value. */
  sort: vine.enum(APPOINTMENT_SORTS).parse(blank).optional(),
  dir: vine.enum(['asc', 'desc'] as const).parse(blank).optional(),
})
appointmentListValidator.messagesProvider = new SimpleMessagesProvider({
  'sort.enum': 'Please sort by one of the table’s columns.',
  'dir.enum': 'Please sort up or down.',
  'string': 'Please enter one date.',
  'provider.number': 'Please choose one of the listed clinicians.',
  'provider.withoutDecimals': 'Please choose one of the listed clinicians.',
  'provider.positive': 'Please choose one of the listed clinicians.',
  'provider.max': 'Please choose one of the listed clinicians.',
  'page.number': 'Please give the page as a whole number.',
  'page.withoutDecimals': 'Please give the page as a whole number.',
  'page.min': 'Please give the page as a whole number.',
  'page.max': 'Please give a smaller page number.',
})

/** An appointment type, new or changed; `meta.typeId` is the type being changed. */
export const appointmentTypeValidator = vine.withMetaData<{ typeId?: number }>().create({
  name: vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(80)
    .unique({
      table: 'appointment_types',
      column: 'name',
      caseInsensitive: true,
      // Keeping a type's own name (or changing only its letter case) is fine.
      filter: (query, _value, field) => {
        if (field.meta.typeId) query.whereNot('id', field.meta.typeId)
      },
    }),
  defaultMinutes: vine.number().withoutDecimals().range([5, MAX_APPOINTMENT_MINUTES]),
  isTelehealth: vine.boolean().optional(),
})
appointmentTypeValidator.messagesProvider = new SimpleMessagesProvider({
  'required': 'Please fill this in.',
  'boolean': 'Please tick the box or leave it empty.',
  'name.required': 'Please give the type a name.',
  'name.minLength': 'Please give the type a name.',
  'name.maxLength': 'Please keep the name to {{ max }} characters or fewer.',
  'name.database.unique': 'There is already a type with this name. Please choose another name.',
  'defaultMinutes.required': 'Please give the usual length in minutes.',
  'defaultMinutes.number': 'Please give the usual length as a whole number of minutes.',
  'defaultMinutes.withoutDecimals': 'Please give the usual length as a whole number of minutes.',
  'defaultMinutes.range': 'Please give a length from {{ min }} to {{ max }} minutes.',
})

/** The session note. Its text is never flashed, logged or audited. */
export const sessionNoteValidator = vine.create({
  body: vine.string().trim().minLength(1).maxLength(MAX_NOTE_LENGTH),
})
sessionNoteValidator.messagesProvider = new SimpleMessagesProvider({
  'required': 'Please write the note before saving.',
  'string': 'Please write the note before saving.',
  'minLength': 'Please write the note before saving.',
  'maxLength': `Please keep the note to ${MAX_NOTE_LENGTH.toLocaleString('en-US')} characters or fewer.`,
})

/** The calendar's view, day and clinician, from the query string (no client is named in it). */
export const calendarValidator = vine.create({
  view: vine.enum(['day', 'week'] as const).parse(blank).optional(),
  date: vine.string().trim().use(calendarDay()).parse(blank).optional(),
  provider: vine
    .string()
    .trim()
    .regex(/^(all|[1-9][0-9]{0,15})$/)
    .parse(blank)
    .transform((value) => (value === 'all' ? ('all' as const) : Number(value)))
    .optional(),
})
calendarValidator.messagesProvider = new SimpleMessagesProvider({
  'view.enum': 'Please choose a day or a week.',
  'string': 'Please enter one date.',
  'provider.regex': 'Please choose one of the listed clinicians.',
})
