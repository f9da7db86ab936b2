import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Appointment reminders (issue #17, DESIGN §15): one row per appointment, per
| start time it was for, per recipient — written with its mail in one
| transaction by the due pass (app/actions/reminders/send_due_reminders.ts).
| The UNIQUE index is what makes "exactly one reminder" hold whatever the
| number of workers: a second worker's insert does nothing. A recipient is a
| portal account, or (no account) the client's own email: `client_user_id`
| null. A row whose message was not sent says why (`skipped_reason`, e.g.
| mayContact's refusal); a cancellation withdraws a queued, unsent one
| (`withdrawn_at`, its queued mail deleted).
| Machinery: the app role only; the portal role has no grant.
|
| appointments.calendar_sequence: the iCalendar SEQUENCE of the appointment's
| event, +1 on every reschedule (Appointment#reschedule), so calendars update
| the event instead of adding another.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('appointment_reminders', (table) => {
      table.bigIncrements('id')
      table.bigInteger('appointment_id').notNullable().references('appointments.id').onDelete('CASCADE')
      /** The start time the reminder was for: a reschedule makes the next one due. */
      table.timestamp('starts_at', { useTz: true }).notNullable()
      /** The portal account it went to; null: the client's own email (no account). */
      table.bigInteger('client_user_id').nullable().references('client_users.id').onDelete('SET NULL')
      table.text('recipient_email').nullable()
      table.bigInteger('mail_message_id').nullable().references('mail_messages.id').onDelete('SET NULL')
      table.text('skipped_reason').nullable()
      table.timestamp('withdrawn_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    // One per appointment, start time and recipient (the client's own address counts as recipient 0).
    this.schema.raw(
      `create unique index appointment_reminders_once
         on appointment_reminders (appointment_id, starts_at, coalesce(client_user_id, 0))`
    )
    this.schema.raw(`create index appointment_reminders_mail on appointment_reminders (mail_message_id)`)
    this.schema.raw(`create index appointment_reminders_account on appointment_reminders (client_user_id)`)

    this.schema.alterTable('appointments', (table) => {
      table.integer('calendar_sequence').notNullable().defaultTo(0)
    })
  }

  async down() {
    this.schema.alterTable('appointments', (table) => {
      table.dropColumn('calendar_sequence')
    })
    this.schema.dropTable('appointment_reminders')
  }
}
