import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| What the practice decides at run time (DESIGN §13): one row, edited in
| Portal Settings by ceo and admin. Later issues add columns here.
| Machinery: the app role reads and writes it; the portal role has no grant.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('practice_settings', (table) => {
      // One row only: the key is always 1.
      table.smallint('id').primary().defaultTo(1)
      table.check('id = 1', [], 'practice_settings_single_row')
      table.boolean('reminders_enabled').notNullable().defaultTo(true)
      table.smallint('default_reminder_lead_hours').notNullable().defaultTo(24)
      table.check('default_reminder_lead_hours between 1 and 168', [], 'practice_settings_lead')
      table.smallint('cancellation_window_hours').notNullable().defaultTo(24)
      table.check('cancellation_window_hours between 0 and 168', [], 'practice_settings_window')
      /** The name mail is sent as; null: the practice's name. */
      table.text('sender_name').nullable()
      table.check('sender_name is null or length(sender_name) between 1 and 100', [], 'practice_settings_sender')
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    this.defer(async (db) => {
      await db.table('practice_settings').insert({ id: 1 })
    })
  }

  async down() {
    this.schema.dropTable('practice_settings')
  }
}
