import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/*
| Emailed "Confirm / I can't make it" links (DESIGN §17) and who confirmed or
| cancelled an appointment (issue #17, items 5 and 6).
|
| Action links get a table of their own rather than `one_time_tokens`: a link
| is bound to one appointment (cascade), one recipient that may have no
| account at all (a client's email on file), and the start time it was issued
| for, all as typed columns the POST compares under a row lock; and a client
| gets one link per appointment, whereas `OneTimeToken.issue` retires an
| account's older tokens of a purpose (a reminder for Tuesday must not end
| the link for Friday). Machinery only: the portal role has no grant on it.
|
| The portal role may now write the few appointment columns a client's own
| confirmation or cancellation changes, through the existing
| portal_own_appointments policy (its own client's rows only).
*/
export default class extends BaseSchema {
  private get role() {
    return env.get('PORTAL_DB_ROLE') ?? 'portal_client'
  }

  async up() {
    this.schema.alterTable('appointments', (table) => {
      /** practice: staff; client: signed in on the portal; client_link: an emailed action link. */
      table.text('cancelled_by_kind').nullable()
      table.check(`cancelled_by_kind in ('practice', 'client', 'client_link')`, [], 'appointments_cancelled_by_kind')
      /** The staff member (practice) or the portal account (client, client_link); null: the client's own email link, or not known. */
      table.bigInteger('cancelled_by_id').nullable()
      table.timestamp('confirmed_at', { useTz: true }).nullable()
      /** The portal account that confirmed; null with confirmed_at set: the client's own email link. */
      table.bigInteger('confirmed_by_id').nullable().references('client_users.id').onDelete('SET NULL')
    })

    this.schema.createTable('appointment_action_links', (table) => {
      table.bigIncrements('id')
      table.text('token_hash').notNullable().unique()
      table.bigInteger('appointment_id').notNullable().references('appointments.id').onDelete('CASCADE')
      table.bigInteger('client_id').notNullable().references('clients.id').onDelete('CASCADE')
      /** The recipient: a portal account, or (no account) the client's email address at issue time. */
      table.bigInteger('client_user_id').nullable().references('client_users.id').onDelete('CASCADE')
      table.text('email').nullable()
      table.check(`(client_user_id is null) <> (email is null)`, [], 'appointment_action_links_one_recipient')
      /** The appointment's start when the link was issued: it acts only while the start is the same. */
      table.timestamp('starts_at', { useTz: true }).notNullable()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('used_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['expires_at'])
      table.index(['appointment_id'])
    })

    this.schema.raw(
      `grant update (status, cancelled_at, cancelled_by_kind, cancelled_by_id, confirmed_at, confirmed_by_id, updated_at)
        on appointments to ${this.role}`
    )
  }

  async down() {
    this.schema.raw(
      `revoke update (status, cancelled_at, cancelled_by_kind, cancelled_by_id, confirmed_at, confirmed_by_id, updated_at)
        on appointments from ${this.role}`
    )
    this.schema.dropTable('appointment_action_links')
    this.schema.alterTable('appointments', (table) => {
      table.dropChecks(['appointments_cancelled_by_kind'])
      table.dropColumns('cancelled_by_kind', 'cancelled_by_id', 'confirmed_at', 'confirmed_by_id')
    })
  }
}
