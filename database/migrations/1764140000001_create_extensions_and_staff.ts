import { BaseSchema } from '@adonisjs/lucid/schema'

export const STAFF_ROLES = ['ceo', 'admin', 'support_staff', 'clinician'] as const

export default class extends BaseSchema {
  async up() {
    // Both are "trusted" extensions: the database owner may create them.
    this.schema.raw('create extension if not exists btree_gist')

    this.schema.createTable('staff_users', (table) => {
      table.bigIncrements('id')
      table.text('name').notNullable()
      table.text('email').notNullable()
      table.text('password').notNullable()
      table.text('role').notNullable()
      table.boolean('is_active').notNullable().defaultTo(true)
      table.integer('session_epoch').notNullable().defaultTo(0)
      table.timestamp('last_sign_in_at').nullable()
      table.timestamps(true, true)

      table.unique(['email'])
      table.check(`email = lower(email)`, [], 'staff_users_email_lower')
      table.check(`role in ('ceo', 'admin', 'support_staff', 'clinician')`, [], 'staff_users_role')
    })
  }

  async down() {
    this.schema.dropTable('staff_users')
  }
}
