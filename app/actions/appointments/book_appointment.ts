import db from '@adonisjs/lucid/services/db'
import Appointment, { type BookingDetails } from '#models/appointment'
import { auditNotice, queueAppointmentNotice } from '#actions/reminders/send_appointment_notice'
import { fulfilRequest } from '#actions/requests/decide_request'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'

/*
| Staff book an appointment (issue #17 item 4): the appointment and the
| notice to its recipients commit in one transaction (the outbox), so a
| failure after the insert sends nothing and a crash after the commit loses
| nothing. A clash is the database's (appointments_no_double_booking): a
| BookingClash, and nothing is written. Booked for a client's request (the
| inbox's Book, #19), the request is marked booked in the same transaction;
| a request no longer open (RequestNotOpen) books nothing.
*/
export async function bookAppointment(
  details: BookingDetails & { clientId: number },
  actor: Actor,
  options: { requestId?: number | null } = {}
) {
  const { appointment, notice } = await db.transaction(async (trx) => {
    const booked = await Appointment.book(details, { client: trx })
    if (options.requestId) await fulfilRequest(trx, options.requestId, booked, actor)
    return { appointment: booked, notice: await queueAppointmentNotice(trx, { appointmentId: booked.id, kind: 'booked' }) }
  })
  await auditStaffOrOperator(actor, 'appointment.created', {
    clientId: appointment.clientId,
    detail: { appointmentId: appointment.id, providerId: appointment.providerId, status: appointment.status },
  })
  await auditNotice(actor, notice)
  return appointment
}
