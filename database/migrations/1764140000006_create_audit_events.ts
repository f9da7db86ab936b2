import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Append-only audit trail (HIPAA audit controls). No foreign keys, so no
| cascading delete ever reaches it; triggers refuse UPDATE, DELETE and
| TRUNCATE for every role, the owner included.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('audit_events', (table) => {
      table.bigIncrements('id')
      table.timestamp('occurred_at').notNullable().defaultTo(this.now())
      table.text('actor_kind').notNullable()
      table.bigInteger('actor_id').nullable()
      table.bigInteger('client_id').nullable()
      table.text('action').notNullable()
      table.text('ip').nullable()
      table.text('user_agent').nullable()
      table.jsonb('detail').notNullable().defaultTo('{}')

      table.check(
        `actor_kind in ('staff', 'client_user', 'anonymous', 'system')`,
        [],
        'audit_events_actor_kind'
      )
      table.index(['occurred_at'])
      table.index(['client_id', 'occurred_at'])
      table.index(['actor_kind', 'actor_id', 'occurred_at'])
      table.index(['action', 'occurred_at'])
    })

    this.schema.raw(`
      create or replace function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_events is append-only';
      end
      $$
    `)
    this.schema.raw(`
      create trigger audit_events_no_update_delete before update or delete on audit_events
      for each row execute function audit_events_append_only()
    `)
    this.schema.raw(`
      create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_append_only()
    `)
  }

  async down() {
    this.schema.dropTable('audit_events')
    this.schema.raw('drop function if exists audit_events_append_only()')
  }
}
