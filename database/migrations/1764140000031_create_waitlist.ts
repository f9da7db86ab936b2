import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/*
| The waitlist (issue #22): offers of freed earlier slots.
|
| waitlist_entries   client data. "Offer me an earlier time with this
|                    provider", joined from one upcoming appointment (the
|                    one an accepted offer moves), with optional limits as
|                    bitmasks like appointment requests: days_of_week
|                    Monday = 1 … Sunday = 64, parts_of_day morning = 1,
|                    afternoon = 2, evening = 4. One waiting entry per
|                    client and provider (a unique index).
|                    The portal role reads its own client's, joins from its
|                    own client's upcoming scheduled appointment (every
|                    level of DESIGN §14 may), and leaves (three columns).
| waitlist_slots     machinery, the "slot freed" outbox: a trigger on
|                    appointments writes one row in the very transaction that
|                    cancels a session still to come, whoever cancels (staff,
|                    the client signed in, an emailed link: the portal role's
|                    transaction too, which is why the trigger function runs
|                    as the owner). The worker (jobs:work) sends its offers
|                    in waves and closes it; accepting locks its row, so the
|                    first to accept is the only one to book it.
| waitlist_offers    machinery: one offer per slot, entry and recipient, its
|                    token's SHA-256 only (DESIGN §17); a row without token
|                    records an entry whose offer mayContact withheld (it
|                    counts as offered: the next wave goes to the next ones).
| appointments.moved_to_appointment_id
|                    an appointment the client moved to an earlier time
|                    through an offer: cancelled by the client, not late.
*/
const CLIENT = `nullif(current_setting('app.client_id', true), '')::bigint`

export default class extends BaseSchema {
  private get role() {
    return env.get('PORTAL_DB_ROLE') ?? 'portal_client'
  }

  async up() {
    const role = this.role

    this.schema.alterTable('appointments', (table) => {
      table.bigInteger('moved_to_appointment_id').nullable().references('appointments.id').onDelete('SET NULL')
    })

    this.schema.createTable('waitlist_entries', (table) => {
      table.bigIncrements('id')
      table.bigInteger('client_id').notNullable().references('clients.id').onDelete('CASCADE')
      table.bigInteger('provider_id').notNullable().references('staff_users.id').onDelete('CASCADE')
      /** The client's own later appointment: offers are earlier than it, and accepting one moves it. */
      table.bigInteger('appointment_id').notNullable().references('appointments.id').onDelete('CASCADE')
      /** The portal account that joined; null: staff added the entry (added_by_id). */
      table.bigInteger('client_user_id').nullable().references('client_users.id').onDelete('SET NULL')
      table.bigInteger('added_by_id').nullable().references('staff_users.id').onDelete('SET NULL')
      table.smallint('days_of_week').notNullable().defaultTo(127)
      table.check('days_of_week between 1 and 127', [], 'waitlist_entries_days_of_week')
      table.smallint('parts_of_day').notNullable().defaultTo(7)
      table.check('parts_of_day between 1 and 7', [], 'waitlist_entries_parts_of_day')
      table.text('status').notNullable().defaultTo('waiting')
      table.check(`status in ('waiting', 'ended')`, [], 'waitlist_entries_status')
      /** left: the client; removed: staff; moved: an offer was accepted; passed, cancelled, inactive: the worker. */
      table.text('ended_reason').nullable()
      table.check(
        `(status = 'ended') = (ended_reason is not null)
         and (ended_reason is null or ended_reason in ('left', 'removed', 'moved', 'passed', 'cancelled', 'inactive'))`,
        [],
        'waitlist_entries_ended_reason'
      )
      table.bigInteger('ended_by_id').nullable().references('staff_users.id').onDelete('SET NULL')
      table.timestamp('ended_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['client_id'])
      table.index(['appointment_id'])
    })
    this.schema.raw(`create unique index waitlist_entries_one_per_provider on waitlist_entries (client_id, provider_id) where status = 'waiting'`)
    // Who waits longest for a provider: the offer order.
    this.schema.raw(`create index waitlist_entries_waiting on waitlist_entries (provider_id, created_at, id) where status = 'waiting'`)

    this.schema.createTable('waitlist_slots', (table) => {
      table.bigIncrements('id')
      table.bigInteger('freed_appointment_id').notNullable().unique().references('appointments.id').onDelete('CASCADE')
      table.bigInteger('provider_id').notNullable().references('staff_users.id').onDelete('CASCADE')
      table.timestamp('starts_at', { useTz: true }).notNullable()
      table.timestamp('ends_at', { useTz: true }).notNullable()
      /** open: offers may go out and be accepted; taken: through an offer; closed: too close, or booked otherwise. */
      table.text('status').notNullable().defaultTo('open')
      table.check(`status in ('open', 'taken', 'closed')`, [], 'waitlist_slots_status')
      table.smallint('waves').notNullable().defaultTo(0)
      /** When the worker next looks at it: now at first, then two hours after each wave. */
      table.timestamp('next_wave_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.bigInteger('booked_appointment_id').nullable().references('appointments.id').onDelete('SET NULL')
      table.timestamp('decided_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    this.schema.raw(`create index waitlist_slots_open on waitlist_slots (next_wave_at) where status = 'open'`)

    this.schema.createTable('waitlist_offers', (table) => {
      table.bigIncrements('id')
      table.bigInteger('slot_id').notNullable().references('waitlist_slots.id').onDelete('CASCADE')
      table.bigInteger('entry_id').notNullable().references('waitlist_entries.id').onDelete('CASCADE')
      table.bigInteger('client_id').notNullable().references('clients.id').onDelete('CASCADE')
      table.smallint('wave').notNullable()
      /** open → accepted | missed (someone else took it) | expired (too close, or the entry ended); withheld: mayContact said no. */
      table.text('status').notNullable().defaultTo('open')
      table.check(`status in ('open', 'accepted', 'missed', 'expired', 'withheld')`, [], 'waitlist_offers_status')
      table.text('token_hash').nullable().unique()
      /** The recipient: a portal account, or (no account) the client's email at issue time. */
      table.bigInteger('client_user_id').nullable().references('client_users.id').onDelete('CASCADE')
      table.text('email').nullable()
      table.check(
        `(status = 'withheld' and token_hash is null and client_user_id is null and email is null)
         or (status <> 'withheld' and token_hash is not null and (client_user_id is null) <> (email is null))`,
        [],
        'waitlist_offers_recipient'
      )
      /** The slot's start when offered: the link books only that time. */
      table.timestamp('starts_at', { useTz: true }).notNullable()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('decided_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['slot_id', 'entry_id'])
      table.index(['entry_id'])
      table.index(['expires_at'])
    })

    // The slot a cancellation frees, written in the cancelling transaction itself.
    this.schema.raw(`
      create function waitlist_record_freed_slot() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        if old.status = 'scheduled' and new.status in ('cancelled', 'late_cancelled') and new.starts_at > now() then
          insert into waitlist_slots (freed_appointment_id, provider_id, starts_at, ends_at)
          values (new.id, new.provider_id, new.starts_at, new.ends_at)
          on conflict (freed_appointment_id) do nothing;
        end if;
        return null;
      end
      $$
    `)
    this.schema.raw(`
      create trigger waitlist_record_freed_slot after update of status on appointments
      for each row execute function waitlist_record_freed_slot()
    `)

    this.schema.raw(`grant select on waitlist_entries to ${role}`)
    this.schema.raw(
      `grant insert (client_id, provider_id, appointment_id, client_user_id, days_of_week, parts_of_day, created_at, updated_at)
        on waitlist_entries to ${role}`
    )
    this.schema.raw(`grant update (status, ended_reason, ended_at, updated_at) on waitlist_entries to ${role}`)
    this.schema.raw(`grant usage on sequence waitlist_entries_id_seq to ${role}`)
    this.schema.raw(`alter table waitlist_entries enable row level security`)
    this.schema.raw(`create policy portal_own_waitlist_read on waitlist_entries for select to ${role}
      using (client_id = ${CLIENT})`)
    this.schema.raw(`create policy portal_own_waitlist_join on waitlist_entries for insert to ${role}
      with check (
        client_id = ${CLIENT} and status = 'waiting' and client_user_id is not null
        and exists (
          select 1 from appointments a
           where a.id = appointment_id and a.client_id = ${CLIENT} and a.provider_id = waitlist_entries.provider_id
             and a.status = 'scheduled' and a.starts_at > now())
      )`)
    this.schema.raw(`create policy portal_own_waitlist_leave on waitlist_entries for update to ${role}
      using (client_id = ${CLIENT} and status = 'waiting')
      with check (client_id = ${CLIENT} and status = 'ended' and ended_reason = 'left')`)
  }

  async down() {
    const role = this.role
    this.schema.raw(`drop trigger if exists waitlist_record_freed_slot on appointments`)
    this.schema.raw(`drop function if exists waitlist_record_freed_slot()`)
    this.schema.raw(`revoke all on waitlist_entries from ${role}`)
    this.schema.raw(`revoke all on sequence waitlist_entries_id_seq from ${role}`)
    this.schema.dropTable('waitlist_offers')
    this.schema.dropTable('waitlist_slots')
    this.schema.dropTable('waitlist_entries')
    this.schema.alterTable('appointments', (table) => {
      table.dropColumn('moved_to_appointment_id')
    })
  }
}
