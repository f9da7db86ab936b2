import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator'
import type { I18n } from '@adonisjs/i18n'
import env from '#start/env'
import practice from '#config/practice'
import type Appointment from '#models/appointment'

export interface CalendarOptions {
  /**
   * Provider, type and address in the file (the portal, or mail with detail
   * consent); false: titled "Appointment", no place (discreet mail).
   */
  details?: boolean
  /** A mailed invitation's METHOD: REQUEST adds or updates the event, CANCEL removes it. */
  method?: 'REQUEST' | 'CANCEL'
  /**
   * Discreet mode (DESIGN §15): titled "Appointment" and nothing else — no
   * practice (calendar name, description, product id), provider, type,
   * place or "telehealth"; no organizer. Overrides `details`.
   */
  discreet?: boolean
}

/*
| One appointment as an iCalendar file. Times are written in UTC, which every
| calendar converts correctly on both sides of a daylight-saving change; the
| UID is stable and the SEQUENCE grows on every reschedule
| (appointments.calendar_sequence), so importing the file again — from the
| portal or from a reminder or notice — updates one event. Nothing clinical:
| who, when and where only, and in mail without detail consent only when.
| Its words in the page's or mail's language (`i18n`, calendar.json).
*/
export function appointmentCalendar(appointment: Appointment, i18n: I18n, options: CalendarOptions = {}) {
  const discreet = options.discreet === true
  const details = !discreet && (options.details ?? true)
  const calendar = ical({
    name: discreet ? null : practice.name,
    prodId: discreet
      ? { company: 'Calendar', product: 'Event', language: i18n.locale.toUpperCase() }
      : { company: 'CareIncite', product: 'Client Portal', language: i18n.locale.toUpperCase() },
  })
  if (options.method) calendar.method(ICalCalendarMethod[options.method])
  const cancelled = options.method === 'CANCEL' || ['cancelled', 'late_cancelled'].includes(appointment.status)
  const provider = appointment.providerName?.name ?? practice.name

  calendar.createEvent({
    id: appointmentCalendarUid(appointment.id),
    sequence: appointment.calendarSequence ?? 0,
    start: appointment.startsAt.toJSDate(),
    end: appointment.endsAt.toJSDate(),
    stamp: appointment.updatedAt.toJSDate(),
    summary: details ? i18n.t('calendar.summary', { provider }) : i18n.t('calendar.summary_discreet'),
    location: discreet
      ? null
      : appointment.isTelehealth
        ? i18n.t('calendar.telehealth')
        : details
          ? (appointment.location ?? practice.name)
          : null,
    description: discreet ? null : `${practice.name} · ${practice.phone}`,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  })
  return calendar.toString()
}

/** The event's UID, the same in the portal's file and in every mail about the appointment. */
export function appointmentCalendarUid(appointmentId: number) {
  return `appointment-${appointmentId}@${new URL(env.get('APP_URL')).hostname}`
}
