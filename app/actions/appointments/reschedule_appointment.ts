import db from '@adonisjs/lucid/services/db'
import Appointment, { type BookingDetails } from '#models/appointment'
import { auditNotice, queueAppointmentNotice } from '#actions/reminders/send_appointment_notice'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'

export type RescheduleOutcome = { outcome: 'rescheduled' | 'unchanged'; appointment: Appointment } | { outcome: 'refused'; reason: string }

/*
| Staff move an appointment to another time, provider, type or place. The
| row is locked and checked again inside the transaction (a client may have
| cancelled it meanwhile); the change and its notice commit together. A
| clash is a BookingClash and nothing is written.
*/
export async function rescheduleAppointment(
  input: { appointmentId: number; details: BookingDetails },
  actor: Actor
): Promise<RescheduleOutcome> {
  const result = await db.transaction(async (trx) => {
    const appointment = await Appointment.query({ client: trx }).where('id', input.appointmentId).forUpdate().firstOrFail()
    if (appointment.changeRefusal) return { outcome: 'refused' as const, reason: appointment.changeRefusal }
    if (!(await appointment.reschedule(input.details))) return { outcome: 'unchanged' as const, appointment }
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
