import db from '@adonisjs/lucid/services/db'
import Appointment from '#models/appointment'
import PracticeSetting from '#models/practice_setting'
import { auditNotice, queueAppointmentNotice } from '#actions/reminders/send_appointment_notice'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'

export type CancelOutcome = { outcome: 'cancelled'; late: boolean; appointment: Appointment } | { outcome: 'refused'; reason: string }

/*
| Staff cancel a session still to come. Inside the practice's cancellation
| window (Portal Settings) it is a late cancellation unless staff say "not
| late" (the practice cancelled, an emergency). The row is locked and checked
| again in the transaction; the cancellation, the withdrawal of unsent
| reminders and the notice commit together.
*/
export async function cancelAppointment(input: { appointmentId: number; notLate: boolean }, actor: Actor): Promise<CancelOutcome> {
  const settings = await PracticeSetting.current()
  const result = await db.transaction(async (trx) => {
    const appointment = await Appointment.query({ client: trx }).where('id', input.appointmentId).forUpdate().firstOrFail()
    if (appointment.changeRefusal) return { outcome: 'refused' as const, reason: appointment.changeRefusal }
    const from = appointment.status
    const late = appointment.isLateCancellation(settings.cancellationWindowHours) && !input.notLate
    await appointment.cancel({ late, byStaffId: actor.kind === 'staff' ? actor.id : null })
    const notice = await queueAppointmentNotice(trx, { appointmentId: appointment.id, kind: 'cancelled' })
    return { outcome: 'cancelled' as const, appointment, late, from, notice }
  })
  if (result.outcome === 'refused') return result
  await auditStaffOrOperator(actor, 'appointment.cancelled', {
    clientId: result.appointment.clientId,
    detail: { appointmentId: result.appointment.id, from: result.from, to: result.appointment.status },
  })
  await auditNotice(actor, result.notice)
  return { outcome: 'cancelled', late: result.late, appointment: result.appointment }
}
