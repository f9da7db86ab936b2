import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/*
| Appointment requests (issue #19, items 3 and 4): a client (or someone
| acting for them) asks for a new appointment or to move an upcoming one;
| staff book it from their inbox or decline it with a short message.
|
| Preferences are bitmasks, so an "identical open request" is a plain unique
| index: days_of_week Monday = 1 … Sunday = 64; parts_of_day morning = 1,
| afternoon = 2, evening = 4.
|
| Client data: RLS for the portal role, which may read its own client's
| rows, insert open ones for its own client (naming only that client's
| appointment and one of its providers of the last 12 months), and withdraw
| an open one (three columns). No delete.
|
| The limits (3 open per client, 5 new per portal account per rolling day)
| are counted by a trigger under an advisory lock: it runs as the owner, so
| it sees all of an account's requests (a guardian's, for several children)
| that the portal role cannot, and two requests at once cannot both pass.
| The app turns its refusals into calm messages.
*/
const CLIENT = `nullif(current_setting('app.client_id', true), '')::bigint`

export default class extends BaseSchema {
  protected tableName = 'appointment_requests'

  private get role() {
    return env.get('PORTAL_DB_ROLE') ?? 'portal_client'
  }

  async up() {
    const role = this.role
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.bigInteger('client_id').notNullable().references('clients.id').onDelete('CASCADE')
      /** The portal account that asked. */
      table.bigInteger('client_user_id').notNullable().references('client_users.id').onDelete('CASCADE')
      table.text('kind').notNullable()
      table.check(`kind in ('new', 'reschedule')`, [], 'appointment_requests_kind')
      /** The appointment to move (reschedule only). */
      table.bigInteger('appointment_id').nullable().references('appointments.id').onDelete('CASCADE')
      table.check(`(kind = 'reschedule') = (appointment_id is not null)`, [], 'appointment_requests_reschedule_has_appointment')
      table.smallint('days_of_week').notNullable()
      table.check('days_of_week between 1 and 127', [], 'appointment_requests_days_of_week')
      table.smallint('parts_of_day').notNullable()
      table.check('parts_of_day between 1 and 7', [], 'appointment_requests_parts_of_day')
      /** Null: anyone. */
      table.bigInteger('provider_id').nullable().references('staff_users.id').onDelete('SET NULL')
      table.text('modality').notNullable()
      table.check(`modality in ('in_person', 'video')`, [], 'appointment_requests_modality')
      /** The client's own words: staff read it; never in mail or audit detail. */
      table.text('note').nullable()
      table.check('note is null or length(note) between 1 and 500', [], 'appointment_requests_note')
      table.text('status').notNullable().defaultTo('open')
      table.check(`status in ('open', 'booked', 'declined', 'withdrawn')`, [], 'appointment_requests_status')
      /** The practice's reply to a declined request: shown in the portal only. */
      table.text('decline_message').nullable()
      table.check(
        `(status = 'declined') = (decline_message is not null) and (decline_message is null or length(decline_message) between 1 and 300)`,
        [],
        'appointment_requests_decline_message'
      )
      table.bigInteger('booked_appointment_id').nullable().references('appointments.id').onDelete('SET NULL')
      table.bigInteger('decided_by_id').nullable().references('staff_users.id').onDelete('SET NULL')
      table.timestamp('decided_at', { useTz: true }).nullable()
      table.timestamp('withdrawn_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['client_id', 'created_at'])
      table.index(['client_user_id', 'created_at'])
    })
    // The staff inbox: open requests, oldest first.
    this.schema.raw(`create index appointment_requests_open on appointment_requests (created_at) where status = 'open'`)
    // The same open request twice (whoever asked, whatever the note says).
    this.schema.raw(`
      create unique index appointment_requests_identical_open on appointment_requests
        (client_id, kind, coalesce(appointment_id, 0), days_of_week, parts_of_day, coalesce(provider_id, 0), modality)
        where status = 'open'
    `)

    this.schema.raw(`
      create or replace function appointment_requests_limits() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        -- The database's clock, whatever the insert said: the daily count trusts it.
        new.created_at := now();
        new.updated_at := now();
        -- One account, then one client: always in this order, so two requests never wait on each other in a circle.
        perform pg_advisory_xact_lock(1764140024, (new.client_user_id % 2147483647)::int);
        perform pg_advisory_xact_lock(1764140025, (new.client_id % 2147483647)::int);
        if (select count(*) from appointment_requests where client_id = new.client_id and status = 'open') >= 3 then
          raise exception 'appointment_requests_open_limit' using errcode = 'P0001';
        end if;
        if (select count(*) from appointment_requests
             where client_user_id = new.client_user_id and created_at > now() - interval '1 day') >= 5 then
          raise exception 'appointment_requests_daily_limit' using errcode = 'P0001';
        end if;
        return new;
      end
      $$
    `)
    this.schema.raw(`
      create trigger appointment_requests_limits before insert on appointment_requests
      for each row execute function appointment_requests_limits()
    `)

    this.schema.raw(`grant select on appointment_requests to ${role}`)
    this.schema.raw(
      `grant insert (client_id, client_user_id, kind, appointment_id, days_of_week, parts_of_day, provider_id, modality, note,
        created_at, updated_at)
        on appointment_requests to ${role}`
    )
    this.schema.raw(`grant update (status, withdrawn_at, updated_at) on appointment_requests to ${role}`)
    this.schema.raw(`grant usage on sequence appointment_requests_id_seq to ${role}`)
    this.schema.raw(`alter table appointment_requests enable row level security`)
    this.schema.raw(`create policy portal_own_requests_read on appointment_requests for select to ${role}
      using (client_id = ${CLIENT})`)
    this.schema.raw(`create policy portal_own_requests_ask on appointment_requests for insert to ${role}
      with check (
        client_id = ${CLIENT} and status = 'open'
        and (appointment_id is null or exists (
          select 1 from appointments a
           where a.id = appointment_id and a.client_id = ${CLIENT} and a.status = 'scheduled' and a.starts_at > now()))
        and (provider_id is null or exists (
          select 1 from appointments a
           where a.provider_id = appointment_requests.provider_id and a.client_id = ${CLIENT}
             and a.status <> 'cancelled' and a.starts_at > now() - interval '12 months'))
      )`)
    this.schema.raw(`create policy portal_own_requests_withdraw on appointment_requests for update to ${role}
      using (client_id = ${CLIENT} and status = 'open')
      with check (client_id = ${CLIENT} and status = 'withdrawn')`)
  }

  async down() {
    const role = this.role
    this.schema.raw(`revoke all on appointment_requests from ${role}`)
    this.schema.raw(`revoke all on sequence appointment_requests_id_seq from ${role}`)
    this.schema.dropTable(this.tableName)
    this.schema.raw('drop function if exists appointment_requests_limits()')
  }
}
