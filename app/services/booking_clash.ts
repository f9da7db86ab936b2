import { DateTime } from 'luxon'
import Appointment from '#models/appointment'
import StaffUser from '#models/staff_user'
import { FREE_TIME_SEARCH_DAYS, nextFreeTimes } from '#services/free_times'
import { formatDateTime, formatTime, inPractice } from '#support/practice_time'

export interface RefusedBooking {
  providerId: number
  startsAt: DateTime
  endsAt: DateTime
  /** When rescheduling: the appointment being moved, whose own time does not count as busy. */
  appointmentId?: number
}

/**
 * What staff read next to the time when the database refused a booking
 * (appointments_no_double_booking): when the clashing appointment is (never
 * whose it is: its client is none of this booking's business), and the
 * provider's next free times of the same length.
 */
export async function doubleBookingMessage(booking: RefusedBooking) {
  const provider = await StaffUser.find(booking.providerId)
  const who = provider?.name ?? 'This clinician'
  const minutes = Math.round(booking.endsAt.diff(booking.startsAt, 'minutes').minutes)
  const providersTimes = () =>
    Appointment.query()
      .withScopes((scopes) => {
        scopes.providedBy(booking.providerId)
        scopes.holdingTheirTime()
        scopes.except(booking.appointmentId)
        scopes.chronological()
      })
      .select('appointments.id', 'appointments.starts_at', 'appointments.ends_at')

  // Suggestions start at the asked time, or now when that has passed (recording an earlier session).
  const from = DateTime.max(booking.startsAt, DateTime.now())
  const firstDay = inPractice(from).startOf('day')
  const [clash, busy] = await Promise.all([
    providersTimes().withScopes((scopes) => scopes.overlapping(booking.startsAt, booking.endsAt)).first(),
    providersTimes().withScopes((scopes) =>
      scopes.overlapping(firstDay, firstDay.plus({ days: FREE_TIME_SEARCH_DAYS + 1 }))
    ),
  ])
  const free = nextFreeTimes({ busy, from, minutes })

  const taken = clash
    ? `${who} already has an appointment from ${formatDateTime(clash.startsAt)} to ${formatTime(clash.endsAt)}.`
    : `${who} already has an appointment at that time.`
  const offered = free.length
    ? `Free times of the same length (${minutes} minutes): ${free.map((time) => formatDateTime(time)).join('; ')}.`
    : `There is no free time of the same length in working hours in the next ${FREE_TIME_SEARCH_DAYS} days. Please choose another clinician or a later date.`
  return `${taken} ${offered}`
}
