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
| mayContact decides; a refused notice is not sent and the refusal is in the
| audit event, and recorded as withheld for the client record. Called by the staff controllers after the change is saved.
*/
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import PracticeSetting from '#models/practice_setting'
import { mayContact } from '#actions/contact/may_contact'
import {
  appointmentsForMail,
  enqueueAppointmentMail,
  recipientsOf,
  type NoticeKind,
} from '#actions/reminders/appointment_mail'
import { recordWithheld } from '#actions/contact/contact_subjects'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'

export async function sendAppointmentNotice(input: { appointmentId: number; kind: NoticeKind }, actor: Actor) {
  const withdrawn = input.kind === 'cancelled' ? await withdrawUnsentReminders(input.appointmentId) : 0
  const [appointment] = await appointmentsForMail([input.appointmentId])
  if (!appointment || appointment.startsAt <= DateTime.now()) return { sent: 0, withdrawn }

  const decision = mayContact(appointment.client, 'appointment_notice')
  const recipients = decision.allowed ? ((await recipientsOf([appointment.client])).get(appointment.clientId) ?? []) : []
  const settings = await PracticeSetting.current()
  await db.connection('machinery').transaction(async (trx) => {
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
  })
  if (!decision.allowed) {
    await recordWithheld(actor, { clientId: appointment.clientId, kind: 'appointment_notice', reason: decision.reason, appointmentId: appointment.id })
  }
  await auditBy(actor, {
    action: 'system.appointment.notice',
    actorKind: actor.kind,
    actorId: actor.id,
    clientId: appointment.clientId,
    detail: {
      appointmentId: appointment.id,
      kind: input.kind,
      recipients: recipients.length,
      notSent: decision.allowed ? (recipients.length ? null : 'no_recipient') : decision.reason,
      withdrawnReminders: withdrawn,
    },
  })
  return { sent: recipients.length, withdrawn }
}

/** The appointment's reminders whose mail is still queued: withdrawn, their mail never sent. Returns how many. */
export async function withdrawUnsentReminders(appointmentId: number) {
  return db.connection('machinery').transaction(async (trx) => {
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
  })
}
