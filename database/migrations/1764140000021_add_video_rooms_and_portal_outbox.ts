import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/*
| Video sessions and the provider's cancellation notice (issues #17 and #19).
|
| Video rooms (#19 item 5): a telehealth appointment carries its own room
| link (appointments.video_url), or takes its provider's own room
| (staff_users.video_room_url) — never one room per appointment type. Both
| https only, checked here as the forms check them.
|
| The portal reads the room through an owner's view, as it reads provider
| names (the portal role has no grant on staff_users): one row per telehealth
| appointment of the active client, its own link or else its provider's.
|
| The provider's cancellation notice (#17 item 6) is written in the client's
| own RLS transaction, the one that cancels (an outbox: the cancellation and
| its notice commit together). The portal role has no grant on mail_messages
| nor on staff_users; this owner's function queues that one mail, to the
| provider of an appointment of the active client the client has just
| cancelled, and nothing else.
*/
const CLIENT = `nullif(current_setting('app.client_id', true), '')::bigint`
const HTTPS_URL = (column: string) => `${column} is null or (${column} ~ '^https://[^[:space:]<>"]+$' and length(${column}) <= 500)`

export default class extends BaseSchema {
  private get role() {
    return env.get('PORTAL_DB_ROLE') ?? 'portal_client'
  }

  async up() {
    const role = this.role
    this.schema.alterTable('appointments', (table) => {
      table.text('video_url').nullable()
      table.check(HTTPS_URL('video_url'), [], 'appointments_video_url')
    })
    this.schema.alterTable('staff_users', (table) => {
      table.text('video_room_url').nullable()
      table.check(HTTPS_URL('video_room_url'), [], 'staff_users_video_room_url')
    })

    this.schema.raw(`
      create view portal_video_rooms as
      select a.id as appointment_id, coalesce(a.video_url, s.video_room_url) as url
        from appointments a
        left join staff_users s on s.id = a.provider_id
       where a.client_id = ${CLIENT} and a.is_telehealth
    `)
    this.schema.raw(`grant select on portal_video_rooms to ${role}`)

    this.schema.raw(`
      create function portal_queue_provider_cancellation_notice(
        appointment_id bigint, subject text, data jsonb, message_id text
      ) returns boolean
      language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        provider_email text;
      begin
        select lower(s.email) into provider_email
          from appointments a
          join staff_users s on s.id = a.provider_id
         where a.id = portal_queue_provider_cancellation_notice.appointment_id
           and a.client_id = ${CLIENT}
           and a.status = 'cancelled'
           and a.cancelled_by_kind in ('client', 'client_link')
           -- Just cancelled: an old cancellation is never announced again.
           and a.cancelled_at > now() - interval '10 minutes';
        if provider_email is null then
          return false;
        end if;
        insert into mail_messages (template, recipient, subject, data, message_id, locale)
        values ('provider_cancellation_notice', provider_email, left(subject, 300), data, message_id, 'en');
        return true;
      end
      $$
    `)
    this.schema.raw(`revoke all on function portal_queue_provider_cancellation_notice(bigint, text, jsonb, text) from public`)
    this.schema.raw(`grant execute on function portal_queue_provider_cancellation_notice(bigint, text, jsonb, text) to ${role}`)
  }

  async down() {
    this.schema.raw(`drop function if exists portal_queue_provider_cancellation_notice(bigint, text, jsonb, text)`)
    this.schema.raw(`drop view if exists portal_video_rooms`)
    this.schema.alterTable('staff_users', (table) => {
      table.dropChecks(['staff_users_video_room_url'])
      table.dropColumn('video_room_url')
    })
    this.schema.alterTable('appointments', (table) => {
      table.dropChecks(['appointments_video_url'])
      table.dropColumn('video_url')
    })
  }
}
