import ical, { ICalEventStatus } from 'ical-generator'
import env from '#start/env'
import practice from '#config/practice'
import type Appointment from '#models/appointment'

/*
| One appointment as an iCalendar file. Times are written in UTC, which every
| calendar converts correctly on both sides of a daylight-saving change; the
| UID is stable, so importing the file twice updates one event. Nothing
| clinical: who, when and where only.
*/
export function appointmentCalendar(appointment: Appointment) {
  const calendar = ical({
    name: practice.name,
    prodId: { company: 'CareIncite', product: 'Client Portal', language: 'EN' },
  })
  const host = new URL(env.get('APP_URL')).hostname
  const provider = appointment.providerName?.name ?? practice.name

  calendar.createEvent({
    id: `appointment-${appointment.id}@${host}`,
    start: appointment.startsAt.toJSDate(),
    end: appointment.endsAt.toJSDate(),
    stamp: appointment.updatedAt.toJSDate(),
    summary: `Appointment with ${provider}`,
    location: appointment.isTelehealth ? 'Telehealth (online)' : (appointment.location ?? practice.name),
    description: `${practice.name} · ${practice.phone}`,
    status: ['cancelled', 'late_cancelled'].includes(appointment.status)
      ? ICalEventStatus.CANCELLED
      : ICalEventStatus.CONFIRMED,
  })
  return calendar.toString()
}
