import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Every mail the app sends: the durable queue and the outbox in one table
| (app/services/mail_queue.ts). Enqueueing is an INSERT, so it commits or
| rolls back with the caller's transaction; workers claim due rows with
| FOR UPDATE SKIP LOCKED and hold a lease (locked_until) while sending, so a
| crashed worker's mail is claimed again once the lease runs out.
|
| Machinery only: the portal role has no grant on it.
*/
export default class extends BaseSchema {
  protected tableName = 'mail_messages'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.text('template').notNullable()
      table.text('recipient').notNullable()
      table.text('subject').notNullable()
      /* Only what the template needs (names, links), never clinical data; emptied once sent. */
      table.jsonb('data').notNullable().defaultTo('{}')
      /* Generated at enqueue and reused by every attempt, so a retry is recognisable. */
      table.text('message_id').notNullable()
      table.text('status').notNullable().defaultTo('queued')
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('next_attempt_at').notNullable().defaultTo(this.now())
      /* The lease of the worker sending it. */
      table.timestamp('locked_until').nullable()
      table.text('locked_by').nullable()
      /* Error class, code and a short message: no addresses, no clinical data. */
      table.text('last_error').nullable()
      table.bigInteger('client_id').nullable().references('clients.id').onDelete('SET NULL')
      table.timestamp('created_at').notNullable().defaultTo(this.now())
      table.timestamp('sent_at').nullable()

      table.unique(['message_id'])
      table.check(`recipient = lower(recipient)`, [], 'mail_messages_recipient_lower')
      table.check(`status in ('queued', 'sending', 'sent', 'failed')`, [], 'mail_messages_status')
      table.check(`attempts >= 0`, [], 'mail_messages_attempts')
      table.index(['client_id'])
    })
    /* What the workers' claim scans: due queued mail, and expired leases. */
    this.schema.raw(
      `create index mail_messages_due on mail_messages (next_attempt_at, id) where status = 'queued'`
    )
    this.schema.raw(
      `create index mail_messages_leased on mail_messages (locked_until, id) where status = 'sending'`
    )
    this.schema.raw(`create index mail_messages_failed on mail_messages (id) where status = 'failed'`)
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
