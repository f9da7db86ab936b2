import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/*
| The database layer of portal isolation (DESIGN §5, layer 3).
|
| Each protected portal request runs in a transaction that switches to this
| NOLOGIN role and sets `app.client_id` (both transaction-local). The role
| sees client-scoped rows only through the policies below, has no grant at
| all on session notes, staff, accounts, invitations, tokens, sessions or
| the audit trail, and an unset client id means "no rows", not an error.
|
| The app role owns the tables and so is exempt from RLS (no FORCE): the
| staff side and the machinery run as the owner.
*/
const CLIENT = `nullif(current_setting('app.client_id', true), '')::bigint`

export default class extends BaseSchema {
  private get role() {
    return env.get('PORTAL_DB_ROLE') ?? 'portal_client'
  }

  async up() {
    const role = this.role

    // Roles are cluster-wide: create it only when this server lacks it.
    this.schema.raw(`
      do $$ begin
        if not exists (select from pg_roles where rolname = '${role}') then
          create role ${role} nologin;
        end if;
      end $$
    `)
    // Required on PostgreSQL 16+ for the app role to SET ROLE into it.
    this.schema.raw(`grant ${role} to current_user`)
    this.schema.raw(`grant usage on schema public to ${role}`)

    this.schema.raw(
      `grant select on clients, appointments, appointment_types, emergency_contacts,
        client_preferences, resource_categories, resources, resource_shares to ${role}`
    )
    this.schema.raw(
      `grant update (preferred_name, email, phone, address_line_1, address_line_2, city, region,
        postal_code, updated_at) on clients to ${role}`
    )
    this.schema.raw(`grant insert, update, delete on emergency_contacts to ${role}`)
    this.schema.raw(`grant usage on sequence emergency_contacts_id_seq to ${role}`)
    this.schema.raw(`grant update on client_preferences to ${role}`)

    for (const table of ['clients', 'appointments', 'emergency_contacts', 'client_preferences', 'resource_shares', 'resources']) {
      this.schema.raw(`alter table ${table} enable row level security`)
    }

    this.schema.raw(`create policy portal_own_client on clients to ${role}
      using (id = ${CLIENT}) with check (id = ${CLIENT})`)
    this.schema.raw(`create policy portal_own_appointments on appointments to ${role}
      using (client_id = ${CLIENT})`)
    this.schema.raw(`create policy portal_own_emergency_contacts on emergency_contacts to ${role}
      using (client_id = ${CLIENT}) with check (client_id = ${CLIENT})`)
    this.schema.raw(`create policy portal_own_preferences on client_preferences to ${role}
      using (client_id = ${CLIENT}) with check (client_id = ${CLIENT})`)
    this.schema.raw(`create policy portal_live_shares on resource_shares to ${role}
      using (client_id = ${CLIENT} and revoked_at is null)`)
    this.schema.raw(`create policy portal_shared_resources on resources to ${role}
      using (archived_at is null and exists (
        select 1 from resource_shares s
        where s.resource_id = resources.id and s.client_id = ${CLIENT} and s.revoked_at is null
      ))`)

    /*
    | Provider names for the portal. A security_invoker view would need a
    | grant on staff_users, which the portal role must not have; this owner's
    | view instead exposes two columns, and only for the staff who provide
    | the active client's appointments or are their primary clinician.
    */
    this.schema.raw(`
      create view portal_provider_names as
      select s.id, s.name from staff_users s
      where exists (select 1 from appointments a where a.provider_id = s.id and a.client_id = ${CLIENT})
         or exists (select 1 from clients c where c.primary_clinician_id = s.id and c.id = ${CLIENT})
    `)
    this.schema.raw(`grant select on portal_provider_names to ${role}`)

    // Every client has a preferences row, so the portal only ever updates it.
    this.schema.raw(`
      create or replace function clients_create_preferences() returns trigger language plpgsql as $$
      begin
        insert into client_preferences (client_id) values (new.id) on conflict do nothing;
        return new;
      end
      $$
    `)
    this.schema.raw(`
      create trigger clients_create_preferences after insert on clients
      for each row execute function clients_create_preferences()
    `)
  }

  async down() {
    const role = this.role
    this.schema.raw('drop trigger if exists clients_create_preferences on clients')
    this.schema.raw('drop function if exists clients_create_preferences()')
    this.schema.raw('drop view if exists portal_provider_names')
    this.schema.raw('drop policy if exists portal_shared_resources on resources')
    this.schema.raw('drop policy if exists portal_live_shares on resource_shares')
    this.schema.raw('drop policy if exists portal_own_preferences on client_preferences')
    this.schema.raw('drop policy if exists portal_own_emergency_contacts on emergency_contacts')
    this.schema.raw('drop policy if exists portal_own_appointments on appointments')
    this.schema.raw('drop policy if exists portal_own_client on clients')
    for (const table of ['clients', 'appointments', 'emergency_contacts', 'client_preferences', 'resource_shares', 'resources']) {
      this.schema.raw(`alter table ${table} disable row level security`)
    }
    // The role itself stays: it is cluster-wide and may serve other databases.
    this.schema.raw(`revoke all on all tables in schema public from ${role}`)
    this.schema.raw(`revoke all on all sequences in schema public from ${role}`)
    this.schema.raw(`revoke usage on schema public from ${role}`)
  }
}
