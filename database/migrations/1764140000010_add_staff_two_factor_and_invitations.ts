import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Staff accounts (issue 10): two-factor sign-in and invited accounts.
|
| - totp_secret: the TOTP secret, encrypted with the app's encryption
|   service (never stored plain). Set while enrolling; confirmed once the
|   first code matched (totp_confirmed_at).
| - totp_last_used_step: the newest 30-second step a code was accepted for;
|   a code is only accepted for a later step (no code works twice), updated
|   with one conditional UPDATE.
| - password_set_at: null for an invited person who has not chosen a
|   password yet (the list shows them as "Invited").
| - staff_recovery_codes: ten single-use codes per person, SHA-256 of the
|   normalised code (random 50-bit codes: a fast hash is enough).
|
| Machinery only: the portal role gets no grant on any of it.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('staff_users', (table) => {
      table.text('totp_secret').nullable()
      table.timestamp('totp_confirmed_at').nullable()
      table.bigInteger('totp_last_used_step').nullable()
      table.timestamp('password_set_at').nullable().defaultTo(this.now())
    })

    this.schema.createTable('staff_recovery_codes', (table) => {
      table.bigIncrements('id')
      table.bigInteger('staff_user_id').notNullable().references('staff_users.id').onDelete('CASCADE')
      table.text('code_hash').notNullable()
      table.timestamp('used_at').nullable()
      table.timestamp('created_at').notNullable().defaultTo(this.now())

      table.unique(['staff_user_id', 'code_hash'])
    })
  }

  async down() {
    this.schema.dropTable('staff_recovery_codes')
    this.schema.alterTable('staff_users', (table) => {
      table.dropColumns('totp_secret', 'totp_confirmed_at', 'totp_last_used_step', 'password_set_at')
    })
  }
}
