import { urlFor } from '@adonisjs/core/services/url_builder'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import Appointment, { type AppointmentStatus } from '#models/appointment'
import { ALL_CLIENTS_ROLES } from '#models/client'
import StaffUser from '#models/staff_user'
import { parsePracticeDay } from '#support/audit_range'
import { formatTime } from '#support/practice_time'

/*
| The Appointments calendar: a day by clinician (a column each) or a week of
| one clinician (a column a day), in half-hour rows in the practice's time
| zone. A free half hour in the future links to the booking form with the
| clinician and the time filled in. A clinician sees her own column by
| default; a colleague's sessions with clients outside her caseload show as
| "Busy", without a name or a link.
*/
export const CALENDAR_VIEWS = ['day', 'week'] as const
export type CalendarView = (typeof CALENDAR_VIEWS)[number]

const SLOT_MINUTES = 30
const LOCAL_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/

/** What a free slot's link fills in on the booking form: ids and a time only, never a name. */
export function bookingPrefill(qs: Record<string, unknown>) {
  const provider = Number(qs.provider)
  const startsAt = typeof qs.startsAt === 'string' && LOCAL_MINUTE.test(qs.startsAt) ? qs.startsAt : undefined
  return {
    providerId: Number.isSafeInteger(provider) && provider > 0 ? provider : undefined,
    startsAt,
  }
}

export interface CalendarRequest {
  view?: CalendarView
  /** A day of the shown day or week, YYYY-MM-DD. */
  date?: string
  /** A clinician's id, or 'all' for every clinician (day view). */
  provider?: number | 'all'
}

interface ShownAppointment {
  id: number
  timeLabel: string
  startsIso: string
  clientLabel: string
  typeLabel: string
  status: AppointmentStatus | 'awaiting'
  statusLabel: string
}

interface Cell {
  appointments: ShownAppointment[]
  /** Sessions starting here that this person may not see (another clinician's client). */
  hiddenBusy: number
  busy: boolean
  /** The booking form prefilled, for a free half hour still to come inside booking hours. */
  bookUrl: string | null
  bookLabel: string
}

interface Column {
  key: string
  label: string
  today: boolean
}

export interface Calendar {
  view: CalendarView
  title: string
  date: string
  provider: string
  columns: Column[]
  rows: { timeLabel: string; timeIso: string; cells: Cell[] }[]
  links: { previous: string; next: string; today: string; day: string; week: string }
  containsToday: boolean
}

export function calendarUrl(params: { view: CalendarView; date: string; provider?: string }) {
  const qs: Record<string, string> = { view: params.view, date: params.date }
  if (params.provider) qs.provider = params.provider
  return urlFor('staff.appointments.calendar', undefined, { qs })
}

function statusOf(appointment: Appointment, now: DateTime): ShownAppointment['status'] {
  return appointment.status === 'scheduled' && appointment.startsAt <= now ? 'awaiting' : appointment.status
}

export async function buildCalendar(
  staff: Pick<StaffUser, 'id' | 'role' | 'name'>,
  asked: CalendarRequest,
  now: DateTime = DateTime.now()
): Promise<Calendar> {
  const today = now.setZone(practice.timeZone).startOf('day')
  const view = asked.view ?? 'day'
  const day = (asked.date ? parsePracticeDay(asked.date) : null) ?? today
  const clinicians = await StaffUser.query()
    .withScopes((scopes) => scopes.clinicians())
    .select('id', 'name')
    .orderBy('name', 'asc')

  // Whose columns: the asked clinician; else a clinician's own; else everyone (a day) or the first (a week).
  const own = staff.role === 'clinician' ? clinicians.find((person) => person.id === staff.id) : undefined
  const askedProvider = typeof asked.provider === 'number' ? clinicians.find((person) => person.id === asked.provider) : undefined
  let providers: Pick<StaffUser, 'id' | 'name'>[]
  if (askedProvider) providers = [askedProvider]
  else if (asked.provider === 'all' && view === 'day') providers = clinicians
  else if (own) providers = [own]
  else providers = view === 'day' ? clinicians : clinicians.slice(0, 1)
  const providerParam = askedProvider ? String(askedProvider.id) : asked.provider === 'all' && view === 'day' ? 'all' : ''

  const first = view === 'day' ? day : day.startOf('week')
  const dayCount = view === 'day' ? 1 : 7
  const rangeEnd = first.plus({ days: dayCount })
  const providerIds = providers.map((person) => person.id)

  const [visible, holding] = providerIds.length
    ? await Promise.all([
        Appointment.query()
          .withScopes((scopes) => {
            scopes.visibleTo(staff)
            scopes.startingBetween(first, rangeEnd)
            scopes.chronological()
            scopes.withListDetails()
          })
          .whereIn('appointments.provider_id', providerIds),
        // Every session that holds its clinician's time, seen or not: a slot is free only when none overlaps it.
        Appointment.query()
          .withScopes((scopes) => {
            scopes.holdingTheirTime()
            scopes.overlapping(first, rangeEnd)
          })
          .whereIn('appointments.provider_id', providerIds)
          .select('id', 'provider_id', 'starts_at', 'ends_at'),
      ])
    : [[], []]
  const visibleIds = new Set(visible.map((appointment) => appointment.id))
  const seesEveryone = ALL_CLIENTS_ROLES.includes(staff.role)

  // Days shown: a week hides an empty weekend.
  const days = Array.from({ length: dayCount }, (_, index) => first.plus({ days: index })).filter(
    (date) =>
      view === 'day' ||
      practice.bookingHours.weekdays.includes(date.weekday) ||
      holding.some((appointment) => appointment.startsAt.setZone(practice.timeZone).hasSame(date, 'day'))
  )

  // Half hours from opening to closing, widened to take in any session outside them.
  const opens = practice.bookingHours.opens.hour * 60 + practice.bookingHours.opens.minute
  const closes = practice.bookingHours.closes.hour * 60 + practice.bookingHours.closes.minute
  let firstMinute = opens
  let lastMinute = closes
  for (const appointment of holding) {
    const start = appointment.startsAt.setZone(practice.timeZone)
    const minute = start.hour * 60 + start.minute
    firstMinute = Math.min(firstMinute, Math.floor(minute / SLOT_MINUTES) * SLOT_MINUTES)
    lastMinute = Math.max(lastMinute, Math.floor(minute / SLOT_MINUTES) * SLOT_MINUTES + SLOT_MINUTES)
  }
  const slotMinutes: number[] = []
  for (let minute = firstMinute; minute < lastMinute; minute += SLOT_MINUTES) slotMinutes.push(minute)

  const columns: { column: Column; date: DateTime; providerId: number }[] =
    view === 'day'
      ? providers.map((person) => ({
          column: { key: `p${person.id}`, label: person.name, today: day.hasSame(today, 'day') },
          date: day,
          providerId: person.id,
        }))
      : days.map((date) => ({
          column: {
            key: date.toISODate()!,
            label: date.setLocale('en-US').toFormat('ccc LLL d'),
            today: date.hasSame(today, 'day'),
          },
          date,
          providerId: providers[0]?.id ?? 0,
        }))

  const rows = slotMinutes.map((minuteOfDay) => {
    const cells = columns.map(({ date, providerId }) => {
      const start = date.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 })
      const end = start.plus({ minutes: SLOT_MINUTES })
      const startingHere = (appointment: Appointment) =>
        appointment.providerId === providerId && appointment.startsAt >= start && appointment.startsAt < end
      const overlaps = (appointment: Appointment) =>
        appointment.providerId === providerId && appointment.startsAt < end && appointment.endsAt > start
      const busy = holding.some(overlaps)
      const inHours =
        practice.bookingHours.weekdays.includes(start.weekday) && minuteOfDay >= opens && minuteOfDay + SLOT_MINUTES <= closes
      const provider = providers.find((person) => person.id === providerId)
      return {
        appointments: visible.filter(startingHere).map((appointment) => ({
          id: appointment.id,
          timeLabel: `${formatTime(appointment.startsAt).replace(/ [A-Z]{2,5}$/, '')}–${formatTime(appointment.endsAt)}`,
          startsIso: appointment.startsAt.toUTC().toISO()!,
          clientLabel: `${appointment.client.lastName}, ${appointment.client.displayFirstName}`,
          typeLabel: appointment.appointmentType.name,
          status: statusOf(appointment, now),
          statusLabel: appointment.staffStatusLabel,
        })),
        hiddenBusy: seesEveryone ? 0 : holding.filter((appointment) => startingHere(appointment) && !visibleIds.has(appointment.id)).length,
        busy,
        bookUrl:
          !busy && inHours && start > now && provider
            ? urlFor('staff.appointments.create', undefined, {
                qs: { provider: String(providerId), startsAt: start.toFormat("yyyy-MM-dd'T'HH:mm") },
              })
            : null,
        bookLabel: provider ? `Book ${provider.name} at ${formatTime(start)} on ${start.setLocale('en-US').toFormat('cccc, LLLL d')}` : '',
      }
    })
    const labelDay = columns[0]?.date ?? day
    const labelTime = labelDay.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 })
    return { timeLabel: labelTime.setLocale('en-US').toFormat('h:mm a'), timeIso: labelTime.toFormat('HH:mm'), cells }
  })

  const step = view === 'day' ? { days: 1 } : { weeks: 1 }
  const link = (view_: CalendarView, date: DateTime) => calendarUrl({ view: view_, date: date.toISODate()!, provider: providerParam })
  const who = view === 'week' ? (providers[0]?.name ?? 'No clinician') : providers.length === 1 ? providers[0].name : 'All clinicians'
  const title =
    view === 'day'
      ? `${day.setLocale('en-US').toFormat('cccc, LLLL d, yyyy')} · ${who}`
      : `Week of ${first.setLocale('en-US').toFormat('LLLL d, yyyy')} · ${who}`

  return {
    view,
    title,
    date: day.toISODate()!,
    provider: providerParam,
    columns: columns.map(({ column }) => column),
    rows,
    links: {
      previous: link(view, view === 'day' ? day.minus(step) : first.minus(step)),
      next: link(view, view === 'day' ? day.plus(step) : first.plus(step)),
      today: link(view, today),
      day: link('day', day),
      week: link('week', day),
    },
    containsToday: today >= first && today < rangeEnd,
  }
}

/** The clinician choices of the calendar's form. */
export async function calendarProviderOptions() {
  const clinicians = await StaffUser.query()
    .withScopes((scopes) => scopes.clinicians())
    .select('id', 'name')
    .orderBy('name', 'asc')
  return [
    { value: '', label: 'Default (your own column, or every clinician)' },
    { value: 'all', label: 'Every clinician (day view)' },
    ...clinicians.map((person) => ({ value: String(person.id), label: person.name })),
  ]
}

