import db from '@adonisjs/lucid/services/db'
import Appointment, { type BookingDetails } from '#models/appointment'
import { auditNotice, queueAppointmentNotice } from '#actions/reminders/send_appointment_notice'
import { fulfilRequest } from '#actions/requests/decide_request'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'

export type RescheduleOutcome = { outcome: 'rescheduled' | 'unchanged'; appointment: Appointment } | { outcome: 'refused'; reason: string }

/*
| Staff move an appointment to another time, provider, type or place. The
| row is locked and checked again inside the transaction (a client may have
| cancelled it meanwhile); the change and its notice commit together. A
| clash is a BookingClash and nothing is written. Moved for the client's
| request to reschedule (#19), the request is marked booked in the same
| transaction.
*/
export async function rescheduleAppointment(
  input: { appointmentId: number; details: BookingDetails; requestId?: number | null },
  actor: Actor
): Promise<RescheduleOutcome> {
  const result = await db.transaction(async (trx) => {
    const appointment = await Appointment.query({ client: trx }).where('id', input.appointmentId).forUpdate().firstOrFail()
    if (appointment.changeRefusal) return { outcome: 'refused' as const, reason: appointment.changeRefusal }
    if (!(await appointment.reschedule(input.details))) return { outcome: 'unchanged' as const, appointment }
    if (input.requestId) await fulfilRequest(trx, input.requestId, appointment, actor)
    const notice = await queueAppointmentNotice(trx, { appointmentId: appointment.id, kind: 'rescheduled' })
    return { outcome: 'rescheduled' as const, appointment, notice }
  })
  if (result.outcome !== 'rescheduled') return result
  await auditStaffOrOperator(actor, 'appointment.rescheduled', {
    clientId: result.appointment.clientId,
    detail: { appointmentId: result.appointment.id, providerId: result.appointment.providerId },
  })
  await auditNotice(actor, result.notice)
  return { outcome: 'rescheduled', appointment: result.appointment }
}
