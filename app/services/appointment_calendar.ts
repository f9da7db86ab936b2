import ical, { ICalEventStatus } from 'ical-generator'
import type { I18n } from '@adonisjs/i18n'
import env from '#start/env'
import practice from '#config/practice'
import type Appointment from '#models/appointment'

/*
| One appointment as an iCalendar file. Times are written in UTC, which every
| calendar converts correctly on both sides of a daylight-saving change; the
| UID is stable, so importing the file twice updates one event. Nothing
| clinical: who, when and where only. Its words in the page's language
| (`i18n`, calendar.json).
*/
export function appointmentCalendar(appointment: Appointment, i18n: I18n) {
  const calendar = ical({
    name: practice.name,
    prodId: { company: 'CareIncite', product: 'Client Portal', language: i18n.locale.toUpperCase() },
  })
  const host = new URL(env.get('APP_URL')).hostname
  const provider = appointment.providerName?.name ?? practice.name

  calendar.createEvent({
    id: `appointment-${appointment.id}@${host}`,
    start: appointment.startsAt.toJSDate(),
    end: appointment.endsAt.toJSDate(),
    stamp: appointment.updatedAt.toJSDate(),
    summary: i18n.t('calendar.summary', { provider }),
    location: appointment.isTelehealth ? i18n.t('calendar.telehealth') : (appointment.location ?? practice.name),
    description: `${practice.name} · ${practice.phone}`,
    status: ['cancelled', 'late_cancelled'].includes(appointment.status)
      ? ICalEventStatus.CANCELLED
      : ICalEventStatus.CONFIRMED,
  })
  return calendar.toString()
}
