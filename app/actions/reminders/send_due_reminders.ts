/*
| The reminder due pass (issue #17): run every minute by `node ace jobs:work`
| (app/jobs/send_reminders.ts) and on demand by `node ace reminders:send`.
|
| Due: a `scheduled` appointment with `starts_at − lead ≤ now < starts_at − 1 h`
| (lead: the client's reminder_lead_hours), its client active, reminders on
| for the practice and for the client (reminder_channel 'email'), and no
| reminder row yet for this start time. `now` is a bind parameter, so tests
| drive the clock; a worker that was down catches up, but never within an
| hour of the start.
|
| Each appointment's reminder rows and their mails are written in ONE
| transaction through the outbox (enqueueMail with the transaction). The
| unique index appointment_reminders_once makes a second worker's insert do
| nothing: exactly one reminder per appointment, start time and recipient.
| mayContact decides; a refusal is a row with its reason and no mail. An
| appointment with nobody to write to gets one row saying so, so it is not
| looked at again every minute.
*/
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import PracticeSetting from '#models/practice_setting'
import type Appointment from '#models/appointment'
import { mayContact } from '#actions/contact/may_contact'
import {
  appointmentsForMail,
  enqueueAppointmentMail,
  recipientsOf,
  type AppointmentRecipient,
} from '#actions/reminders/appointment_mail'
import { inPractice } from '#support/practice_time'
import { DUE_QUERY } from '#actions/reminders/due_query'
import { recordWithheld } from '#actions/contact/contact_subjects'
import { auditBy } from '#services/audit'
import { SYSTEM_ACTOR, type Actor } from '#support/actor'

/** No reminder goes out less than this before the start. */
export const LAST_REMINDER_MINUTES = 60
/** The longest lead a client may choose (client_preferences_lead). */
const MAX_LEAD_HOURS = 168
const BATCH = 200

export interface DueReminder {
  appointmentId: number
  startsAt: DateTime
}

export interface ReminderPassResult {
  /** Mails queued. */
  sent: number
  /** Rows recorded without a mail (mayContact refused, or nobody to write to). */
  skipped: number
  /** Appointments another worker had already taken. */
  taken: number
}

/**
 * The due appointments at `now`, soonest first (ids and start times only).
 * EXPLAINed by the bench: appointments_scheduled_starts_at bounds the scan to
 * the next week, the reminders' unique index answers "not yet reminded".
 */
export async function dueReminders(now: DateTime, options: { limit?: number; trx?: TransactionClientContract } = {}) {
  const client = options.trx ?? db.connection('machinery')
  const settings = await PracticeSetting.current()
  if (!settings.remindersEnabled) return []
  const { rows } = await client.rawQuery(DUE_QUERY, [
    now.toUTC().toISO()!,
    LAST_REMINDER_MINUTES,
    now.toUTC().toISO()!,
    MAX_LEAD_HOURS,
    settings.defaultReminderLeadHours,
    now.toUTC().toISO()!,
    options.limit ?? BATCH,
  ])
  return (rows as { id: string | number; starts_at: Date }[]).map((row) => ({
    appointmentId: Number(row.id),
    startsAt: DateTime.fromJSDate(row.starts_at),
  }))
}

/**
 * One pass: queues every reminder due at `now` (default: the real now).
 * Audited once per pass that did something (counts only).
 */
export async function sendDueReminders(
  options: { now?: DateTime } = {},
  actor: Actor = SYSTEM_ACTOR
): Promise<ReminderPassResult> {
  const now = options.now ?? DateTime.now()
  const result: ReminderPassResult = { sent: 0, skipped: 0, taken: 0 }
  const settings = await PracticeSetting.current()
  const seen = new Set<number>()
  for (let round = 0; round < 10_000; round++) {
    const due = (await dueReminders(now)).filter((row) => !seen.has(row.appointmentId))
    if (!due.length) break
    due.forEach((row) => seen.add(row.appointmentId))
    const appointments = await appointmentsForMail(due.map((row) => row.appointmentId))
    const recipients = await recipientsOf(
      [...new Map(appointments.map((appointment) => [appointment.clientId, appointment.client])).values()],
      { today: inPractice(now) }
    )
    for (const appointment of appointments) {
      const outcome = await remindOne(appointment, recipients.get(appointment.clientId) ?? [], settings)
      result.sent += outcome.sent
      result.skipped += outcome.skipped
      result.taken += outcome.taken
    }
  }
  if (result.sent || result.skipped) {
    await auditBy(actor, {
      action: 'system.reminders.queued',
      actorKind: actor.kind,
      actorId: actor.id,
      detail: { queued: result.sent, skipped: result.skipped },
    })
  }
  return result
}

async function remindOne(
  appointment: Appointment,
  recipients: AppointmentRecipient[],
  settings: PracticeSetting
): Promise<ReminderPassResult> {
  const outcome: ReminderPassResult = { sent: 0, skipped: 0, taken: 0 }
  const decision = mayContact(appointment.client, 'reminder')
  const reason = !decision.allowed ? decision.reason : recipients.length ? null : 'no_recipient'

  await db.connection('machinery').transaction(async (trx) => {
    const targets: (AppointmentRecipient | null)[] = recipients.length ? recipients : [null]
    for (const recipient of targets) {
      const [row] = await trx.rawQuery(
        `insert into appointment_reminders (appointment_id, starts_at, client_user_id, recipient_email, skipped_reason)
         values (?, ?, ?, ?, ?)
         on conflict do nothing
         returning id`,
        [
          appointment.id,
          appointment.startsAt.toUTC().toISO()!,
          recipient?.clientUserId ?? null,
          recipient?.email ?? null,
          reason,
        ] as never
      ).then((answer) => answer.rows as { id: number }[])
      if (!row) {
        outcome.taken++
        continue
      }
      if (reason || !recipient) {
        outcome.skipped++
        continue
      }
      const mail = await enqueueAppointmentMail(trx, {
        template: 'appointment_reminder',
        appointment,
        recipient,
        settings,
        discreet: decision.allowed && decision.discreet,
      })
      await trx.from('appointment_reminders').where('id', row.id).update({ mail_message_id: mail.id })
      outcome.sent++
    }
    // The appointment's own summary (the rows say to whom, for which start time).
    if (outcome.sent) await trx.from('appointments').where('id', appointment.id).update({ reminder_sent_at: trx.raw('now()') })
  })
  // A refusal this pass recorded (not one another worker recorded first): staff see it on the client record too.
  if (!decision.allowed && outcome.skipped) {
    await recordWithheld(SYSTEM_ACTOR, { clientId: appointment.clientId, kind: 'reminder', reason: decision.reason, appointmentId: appointment.id })
  }
  return outcome
}

/** What a pass at `now` would send, without sending (reminders:send --dry-run). */
export async function listDueReminders(options: { now?: DateTime } = {}) {
  const now = options.now ?? DateTime.now()
  const due = await dueReminders(now, { limit: 10_000 })
  const appointments = await appointmentsForMail(due.map((row) => row.appointmentId))
  const recipients = await recipientsOf(
    [...new Map(appointments.map((appointment) => [appointment.clientId, appointment.client])).values()],
    { today: inPractice(now) }
  )
  return appointments.map((appointment) => {
    const decision = mayContact(appointment.client, 'reminder')
    const list = recipients.get(appointment.clientId) ?? []
    return {
      appointmentId: appointment.id,
      startsAt: appointment.startsAt,
      recipients: list.length,
      refusal: !decision.allowed ? decision.reason : list.length ? null : 'no_recipient',
    }
  })
}
