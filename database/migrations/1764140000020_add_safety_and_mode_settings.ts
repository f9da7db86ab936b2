import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| The rest of the practice's run-time decisions (DESIGN §13) and a client's
| remaining contact rules (DESIGN §15), added together so the issues that use
| them (safety #18, self-service #19, family #20, insights #21) share one
| shape:
|
| practice_settings
|   scheduling_mode  view_only: clients only look; requests (default): they
|                    may cancel ahead of the window, ask for times, join the
|                    waitlist.
|   quick_exit_url   where "Leave this site" sends the visitor; https only,
|                    never taken from a request.
|   teen_age         from this age to 17 a parent's new link starts at the
|                    `appointments` level.
|   drop_off_days    no attended session for this long and none booked: the
|                    client shows on the owner's reach-out list.
|
| client_preferences (the portal role's existing update grant and policy
| cover the new columns; the portal writes only discreet_mode)
|   voicemail_allowed  may we leave voicemail (recorded for staff).
|   contact_note       "mobile only, never the home number" (staff only).
|   discreet_mode      every message about the client neutral (§15).
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('practice_settings', (table) => {
      table.text('scheduling_mode').notNullable().defaultTo('requests')
      table.check(`scheduling_mode in ('view_only', 'requests')`, [], 'practice_settings_scheduling_mode')
      table.text('quick_exit_url').notNullable().defaultTo('https://www.weather.com/')
      table.check(`quick_exit_url ~ '^https://' and length(quick_exit_url) <= 300`, [], 'practice_settings_quick_exit_url')
      table.smallint('teen_age').notNullable().defaultTo(12)
      table.check('teen_age between 10 and 17', [], 'practice_settings_teen_age')
      table.smallint('drop_off_days').notNullable().defaultTo(45)
      table.check('drop_off_days between 14 and 365', [], 'practice_settings_drop_off_days')
    })
    this.schema.alterTable('client_preferences', (table) => {
      table.boolean('voicemail_allowed').notNullable().defaultTo(true)
      table.text('contact_note').nullable()
      table.check('contact_note is null or length(contact_note) between 1 and 500', [], 'client_preferences_contact_note')
      table.boolean('discreet_mode').notNullable().defaultTo(false)
    })
  }

  async down() {
    this.schema.alterTable('client_preferences', (table) => {
      table.dropColumns('voicemail_allowed', 'contact_note', 'discreet_mode')
    })
    this.schema.alterTable('practice_settings', (table) => {
      table.dropColumns('scheduling_mode', 'quick_exit_url', 'teen_age', 'drop_off_days')
    })
  }
}
