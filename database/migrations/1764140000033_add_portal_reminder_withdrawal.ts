import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/*
| A client's own cancellation (signed in, or by an emailed link) withdraws
| the appointment's queued, unsent reminders in the same transaction, as a
| staff cancellation does (issue #17: "a cancellation withdraws a queued,
| unsent one"). The portal role has no grant on mail_messages or
| appointment_reminders, so this narrow SECURITY DEFINER function is the
| only way it can: it acts only on the request's own client's appointment,
| only when that client has just cancelled it, and only on mail still
| queued (a mail a worker has claimed is on its way and is left alone).
*/
const CLIENT = `nullif(current_setting('app.client_id', true), '')::bigint`

export default class extends BaseSchema {
  private get role() {
    return env.get('PORTAL_DB_ROLE') ?? 'portal_client'
  }

  async up() {
    this.schema.raw(`
      create function portal_withdraw_unsent_reminders(appointment_id bigint) returns integer
      language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        withdrawn integer;
      begin
        perform 1
          from appointments a
         where a.id = portal_withdraw_unsent_reminders.appointment_id
           and a.client_id = ${CLIENT}
           and a.status = 'cancelled'
           and a.cancelled_by_kind in ('client', 'client_link')
           and a.cancelled_at > now() - interval '10 minutes';
        if not found then
          return 0;
        end if;
        with queued as (
          select m.id from mail_messages m
            join appointment_reminders r on r.mail_message_id = m.id
           where r.appointment_id = portal_withdraw_unsent_reminders.appointment_id
             and m.status = 'queued'
             for update of m skip locked
        ), marked as (
          update appointment_reminders
             set withdrawn_at = now(), skipped_reason = 'withdrawn'
           where mail_message_id in (select id from queued)
        )
        delete from mail_messages where id in (select id from queued);
        get diagnostics withdrawn = row_count;
        return withdrawn;
      end
      $$
    `)
    this.schema.raw(`revoke all on function portal_withdraw_unsent_reminders(bigint) from public`)
    this.schema.raw(`grant execute on function portal_withdraw_unsent_reminders(bigint) to ${this.role}`)
  }

  async down() {
    this.schema.raw(`drop function if exists portal_withdraw_unsent_reminders(bigint)`)
  }
}
