/*
| Appointment notices (issue #17): when the practice books, reschedules or
| cancels an appointment, the people who get its reminders get a short,
| discreet notice — the same recipients, consent rules and calendar UID and
| SEQUENCE as a reminder (appointment_mail.ts); a cancellation's .ics says
| METHOD:CANCEL. Only for a session still to come (staff recording an
| earlier session tell nobody).
|
| A cancellation also withdraws the appointment's queued, unsent reminders:
| their mail rows are locked (a worker's claim skips a locked row) and
| deleted, and the reminder rows say `withdrawn`. A mail a worker has
| already claimed is on its way and is left alone.
|
| The outbox: `queueAppointmentNotice` writes the notice in the caller's
| transaction, the one that changes the appointment
| (app/actions/appointments/*), so the change and its notice commit or roll
| back together. mayContact decides; a refused notice is not sent and the
| refusal is in the audit event the caller writes (auditNotice), and
| recorded as withheld for the client record.
*/
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import PracticeSetting from '#models/practice_setting'
import { CONTACT_REFUSALS, mayContact, type ContactRefusal } from '#actions/contact/may_contact'
import {
  appointmentsForMail,
  enqueueAppointmentMail,
  recipientsOf,
  type NoticeKind,
} from '#actions/reminders/appointment_mail'
import { recordWithheld } from '#actions/contact/contact_subjects'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'

/** What queueing a notice did, for its audit event (counts and reasons, never addresses). */
export interface NoticeResult {
  appointmentId: number
  clientId: number | null
  kind: NoticeKind
  sent: number
  notSent: string | null
  withdrawn: number
}

/**
 * Queues the notice of a change in `trx` (and, for a cancellation, withdraws
 * the unsent reminders in it too). Call it after the change, in the same
 * transaction: a rollback then leaves neither.
 */
export async function queueAppointmentNotice(
  trx: TransactionClientContract,
  input: { appointmentId: number; kind: NoticeKind }
): Promise<NoticeResult> {
  const withdrawn = input.kind === 'cancelled' ? await withdrawUnsentReminders(input.appointmentId, trx) : 0
  const [appointment] = await appointmentsForMail([input.appointmentId], trx)
  const result: NoticeResult = {
    appointmentId: input.appointmentId,
    clientId: appointment?.clientId ?? null,
    kind: input.kind,
    sent: 0,
    notSent: 'past',
    withdrawn,
  }
  if (!appointment || appointment.startsAt <= DateTime.now()) return result

  const decision = mayContact(appointment.client, 'appointment_notice')
  const recipients = decision.allowed
    ? ((await recipientsOf([appointment.client], { client: trx })).get(appointment.clientId) ?? [])
    : []
  const settings = await PracticeSetting.current()
  for (const recipient of recipients) {
    await enqueueAppointmentMail(trx, {
      template: 'appointment_notice',
      appointment,
      recipient,
      settings,
      notice: input.kind,
      discreet: decision.allowed && decision.discreet,
    })
  }
  result.sent = recipients.length
  result.notSent = decision.allowed ? (recipients.length ? null : 'no_recipient') : decision.reason
  return result
}

/** The audit event of a notice (written once its transaction committed). */
export async function auditNotice(actor: Actor, result: NoticeResult) {
  // A session already under way or over: nobody is told, and there is nothing to record.
  if (result.notSent === 'past') return
  if (result.clientId && (CONTACT_REFUSALS as readonly string[]).includes(result.notSent ?? '')) {
    await recordWithheld(actor, {
      clientId: result.clientId,
      kind: 'appointment_notice',
      reason: result.notSent as ContactRefusal,
      appointmentId: result.appointmentId,
    })
  }
  await auditBy(actor, {
    action: 'system.appointment.notice',
    actorKind: actor.kind,
    actorId: actor.id,
    clientId: result.clientId,
    detail: {
      appointmentId: result.appointmentId,
      kind: result.kind,
      recipients: result.sent,
      notSent: result.notSent,
      withdrawnReminders: result.withdrawn,
    },
  })
}

/** A notice on its own, in a transaction of its own (an operator, a test): queued and audited. */
export async function sendAppointmentNotice(input: { appointmentId: number; kind: NoticeKind }, actor: Actor) {
  const result = await db.transaction((trx) => queueAppointmentNotice(trx, input))
  await auditNotice(actor, result)
  return { sent: result.sent, withdrawn: result.withdrawn }
}

/** The appointment's reminders whose mail is still queued: withdrawn, their mail never sent. Returns how many. */
export async function withdrawUnsentReminders(appointmentId: number, trx: TransactionClientContract) {
  const { rows } = await trx.rawQuery(
    `select m.id from mail_messages m
       join appointment_reminders r on r.mail_message_id = m.id
      where r.appointment_id = ? and m.status = 'queued'
      for update of m skip locked`,
    [appointmentId]
  )
  const ids = (rows as { id: number }[]).map((row) => row.id)
  if (!ids.length) return 0
  await trx
    .from('appointment_reminders')
    .whereIn('mail_message_id', ids)
    .update({ withdrawn_at: trx.raw('now()'), skipped_reason: 'withdrawn' })
  await trx.from('mail_messages').whereIn('id', ids).delete()
  return ids.length
}
