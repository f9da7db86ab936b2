import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Languages (DESIGN §16). A person's language, not the client's:
| - each portal account has one (its pages and mails), en or es;
| - an invitation carries the one staff chose for it (the new account starts with it);
| - a client has an email language, set by staff, for mail to a recipient
|   without an account.
| The client's "language for sessions" (which interpreter, if any) is a
| separate, staff-facing fact: it moves from the client's portal preferences
| to the client record, with an "interpreter needed" flag.
*/
const PORTAL_LANGUAGES = `('en', 'es')`

export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('client_users', (table) => {
      table.text('language').notNullable().defaultTo('en')
      table.check(`language in ${PORTAL_LANGUAGES}`, [], 'client_users_language')
    })
    this.schema.alterTable('portal_invitations', (table) => {
      table.text('language').notNullable().defaultTo('en')
      table.check(`language in ${PORTAL_LANGUAGES}`, [], 'portal_invitations_language')
    })
    this.schema.alterTable('clients', (table) => {
      table.text('email_language').notNullable().defaultTo('en')
      table.check(`email_language in ${PORTAL_LANGUAGES}`, [], 'clients_email_language')
      table.text('session_language').nullable()
      table.boolean('interpreter_needed').notNullable().defaultTo(false)
    })
    this.defer(async (db) => {
      // What clients chose before is their language for sessions; Spanish also becomes the portal's.
      await db.rawQuery(`
        update clients c set session_language = p.preferred_language,
          email_language = case when p.preferred_language = 'es' then 'es' else 'en' end
        from client_preferences p where p.client_id = c.id`)
      await db.rawQuery(`
        update client_users u set language = 'es'
        where exists (
          select 1 from client_user_links l join client_preferences p on p.client_id = l.client_id
          where l.client_user_id = u.id and l.relationship = 'self' and l.ended_at is null and p.preferred_language = 'es')`)
    })
    this.schema.alterTable('client_preferences', (table) => {
      table.dropColumn('preferred_language')
    })
  }

  async down() {
    this.schema.alterTable('client_preferences', (table) => {
      table.text('preferred_language').notNullable().defaultTo('en')
    })
    this.defer(async (db) => {
      await db.rawQuery(`
        update client_preferences p set preferred_language = coalesce(c.session_language, 'en')
        from clients c where c.id = p.client_id`)
    })
    this.schema.alterTable('clients', (table) => {
      table.dropChecks(['clients_email_language'])
      table.dropColumns('email_language', 'session_language', 'interpreter_needed')
    })
    this.schema.alterTable('portal_invitations', (table) => {
      table.dropChecks(['portal_invitations_language'])
      table.dropColumn('language')
    })
    this.schema.alterTable('client_users', (table) => {
      table.dropChecks(['client_users_language'])
      table.dropColumn('language')
    })
  }
}
