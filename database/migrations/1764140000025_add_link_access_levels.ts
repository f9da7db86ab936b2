import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/*
| Family access levels (issue #20, DESIGN §14), enforced by the database.
|
| client_user_links
|   access_level     full | appointments_and_resources | appointments: what a
|                    guardian's link lets its account see and change. A
|                    client's own link (self) is always used as `full`.
|   level_reason     why staff widened a teen's parent link (kept on the link,
|                    never in the audit trail: it may say something personal).
|   level_review_at  set when this migration narrowed a parent's link to a
|                    teen; the staff dashboard lists these until someone sets
|                    the level on the client record.
|
| The request's RLS transaction now carries the link's level beside the
| client id (`app.link_level`, transaction-local, set in the same statement;
| app/portal/client_transaction.ts). The policies below check it:
|   resources, resource_shares        read: full, appointments_and_resources
|   clients (contact columns), emergency_contacts, client_preferences
|                                     read: every level; write: full only
| An unset level is no level: no resource rows, no writes.
|
| Existing links become `full`, except live parents' links to clients aged
| from the practice's teen age (practice_settings.teen_age, default 12) to
| 17 on today's date in the practice's time zone: those become
| `appointments`, marked for review.
*/
const CLIENT = `nullif(current_setting('app.client_id', true), '')::bigint`
const LEVEL = `current_setting('app.link_level', true)`
const SEES_RESOURCES = `${LEVEL} in ('full', 'appointments_and_resources')`
const EDITS_CONTACT = `${LEVEL} = 'full'`

export default class extends BaseSchema {
  private get role() {
    return env.get('PORTAL_DB_ROLE') ?? 'portal_client'
  }

  async up() {
    const role = this.role
    const timeZone = env.get('PRACTICE_TIMEZONE')

    this.schema.alterTable('client_user_links', (table) => {
      table.text('access_level').notNullable().defaultTo('full')
      table.check(
        `access_level in ('full', 'appointments_and_resources', 'appointments')`,
        [],
        'client_user_links_access_level'
      )
      table.text('level_reason').nullable()
      table.check('level_reason is null or length(level_reason) between 1 and 500', [], 'client_user_links_level_reason')
      table.timestamp('level_review_at', { useTz: true }).nullable()
    })

    this.defer(async (db) => {
      await db.rawQuery(
        `update client_user_links l
            set access_level = 'appointments', level_review_at = now(), updated_at = now()
           from clients c
          where c.id = l.client_id
            and l.relationship = 'parent'
            and l.ended_at is null
            and c.date_of_birth is not null
            and c.date_of_birth <= (now() at time zone ?)::date
                 - make_interval(years => coalesce((select teen_age from practice_settings order by id limit 1), 12))
            and c.date_of_birth > (now() at time zone ?)::date - interval '18 years'`,
        [timeZone, timeZone]
      )
    })

    this.schema.raw('drop policy portal_live_shares on resource_shares')
    this.schema.raw(`create policy portal_live_shares on resource_shares for select to ${role}
      using (client_id = ${CLIENT} and revoked_at is null and ${SEES_RESOURCES})`)
    this.schema.raw('drop policy portal_shared_resources on resources')
    this.schema.raw(`create policy portal_shared_resources on resources for select to ${role}
      using (archived_at is null and ${SEES_RESOURCES} and exists (
        select 1 from resource_shares s
        where s.resource_id = resources.id and s.client_id = ${CLIENT} and s.revoked_at is null
      ))`)

    this.schema.raw('drop policy portal_own_client on clients')
    this.schema.raw(`create policy portal_own_client on clients for select to ${role} using (id = ${CLIENT})`)
    this.schema.raw(`create policy portal_own_client_edit on clients for update to ${role}
      using (id = ${CLIENT} and ${EDITS_CONTACT}) with check (id = ${CLIENT} and ${EDITS_CONTACT})`)

    this.schema.raw('drop policy portal_own_emergency_contacts on emergency_contacts')
    this.schema.raw(`create policy portal_own_emergency_contacts on emergency_contacts for select to ${role}
      using (client_id = ${CLIENT})`)
    this.schema.raw(`create policy portal_own_emergency_contacts_insert on emergency_contacts for insert to ${role}
      with check (client_id = ${CLIENT} and ${EDITS_CONTACT})`)
    this.schema.raw(`create policy portal_own_emergency_contacts_update on emergency_contacts for update to ${role}
      using (client_id = ${CLIENT} and ${EDITS_CONTACT}) with check (client_id = ${CLIENT} and ${EDITS_CONTACT})`)
    this.schema.raw(`create policy portal_own_emergency_contacts_delete on emergency_contacts for delete to ${role}
      using (client_id = ${CLIENT} and ${EDITS_CONTACT})`)

    this.schema.raw('drop policy portal_own_preferences on client_preferences')
    this.schema.raw(`create policy portal_own_preferences on client_preferences for select to ${role}
      using (client_id = ${CLIENT})`)
    this.schema.raw(`create policy portal_own_preferences_edit on client_preferences for update to ${role}
      using (client_id = ${CLIENT} and ${EDITS_CONTACT}) with check (client_id = ${CLIENT} and ${EDITS_CONTACT})`)
  }

  async down() {
    const role = this.role
    this.schema.raw('drop policy portal_own_preferences_edit on client_preferences')
    this.schema.raw('drop policy portal_own_preferences on client_preferences')
    this.schema.raw(`create policy portal_own_preferences on client_preferences to ${role}
      using (client_id = ${CLIENT}) with check (client_id = ${CLIENT})`)
    for (const name of ['insert', 'update', 'delete']) {
      this.schema.raw(`drop policy portal_own_emergency_contacts_${name} on emergency_contacts`)
    }
    this.schema.raw('drop policy portal_own_emergency_contacts on emergency_contacts')
    this.schema.raw(`create policy portal_own_emergency_contacts on emergency_contacts to ${role}
      using (client_id = ${CLIENT}) with check (client_id = ${CLIENT})`)
    this.schema.raw('drop policy portal_own_client_edit on clients')
    this.schema.raw('drop policy portal_own_client on clients')
    this.schema.raw(`create policy portal_own_client on clients to ${role}
      using (id = ${CLIENT}) with check (id = ${CLIENT})`)
    this.schema.raw('drop policy portal_shared_resources on resources')
    this.schema.raw(`create policy portal_shared_resources on resources to ${role}
      using (archived_at is null and exists (
        select 1 from resource_shares s
        where s.resource_id = resources.id and s.client_id = ${CLIENT} and s.revoked_at is null
      ))`)
    this.schema.raw('drop policy portal_live_shares on resource_shares')
    this.schema.raw(`create policy portal_live_shares on resource_shares to ${role}
      using (client_id = ${CLIENT} and revoked_at is null)`)
    this.schema.alterTable('client_user_links', (table) => {
      table.dropChecks(['client_user_links_access_level', 'client_user_links_level_reason'])
      table.dropColumns('access_level', 'level_reason', 'level_review_at')
    })
  }
}
