import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| The language a queued mail is written in (DESIGN §16): decided when it is
| queued (the recipient's account, else the invitation's, else the client's
| email language) and kept with it, so the worker renders it in that language
| whenever it is sent. Mail already queued is English, as it was written.
*/
export default class extends BaseSchema {
  protected tableName = 'mail_messages'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.text('locale').notNullable().defaultTo('en')
      table.check(`locale in ('en', 'es')`, [], 'mail_messages_locale')
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropChecks(['mail_messages_locale'])
      table.dropColumn('locale')
    })
  }
}
