import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('appointment_types', (table) => {
      table.bigIncrements('id')
      table.text('name').notNullable().unique()
      table.integer('default_minutes').notNullable()
      table.boolean('is_telehealth').notNullable().defaultTo(false)
      table.boolean('is_active').notNullable().defaultTo(true)
      table.timestamps(true, true)

      table.check(`default_minutes between 5 and 480`, [], 'appointment_types_minutes')
    })

    /* Metadata only: anything clinical lives in session_notes. */
    this.schema.createTable('appointments', (table) => {
      table.bigIncrements('id')
      table.bigInteger('client_id').notNullable().references('clients.id').onDelete('RESTRICT')
      table.bigInteger('provider_id').notNullable().references('staff_users.id').onDelete('RESTRICT')
      table
        .bigInteger('appointment_type_id')
        .notNullable()
        .references('appointment_types.id')
        .onDelete('RESTRICT')
      table.timestamp('starts_at').notNullable()
      table.timestamp('ends_at').notNullable()
      table.text('status').notNullable().defaultTo('scheduled')
      table.boolean('is_telehealth').notNullable().defaultTo(false)
      table.text('location').nullable()
      table.timestamp('cancelled_at').nullable()
      table.timestamp('reminder_sent_at').nullable()
      table.timestamps(true, true)

      table.check(`ends_at > starts_at`, [], 'appointments_ends_after_start')
      table.check(
        `status in ('scheduled', 'completed', 'cancelled', 'late_cancelled', 'no_show')`,
        [],
        'appointments_status'
      )
      table.index(['client_id', 'starts_at'])
      table.index(['provider_id', 'starts_at'])
      table.index(['starts_at'])
    })
    /* A provider is never double-booked; cancelled sessions free the slot. */
    this.schema.raw(`
      alter table appointments add constraint appointments_no_double_booking
      exclude using gist (provider_id with =, tstzrange(starts_at, ends_at) with &&)
      where (status not in ('cancelled', 'late_cancelled'))
    `)

    this.schema.createTable('session_notes', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('appointment_id')
        .notNullable()
        .unique()
        .references('appointments.id')
        .onDelete('RESTRICT')
      table.bigInteger('author_id').notNullable().references('staff_users.id').onDelete('RESTRICT')
      table.text('body').notNullable()
      table.timestamps(true, true)
    })
  }

  async down() {
    this.schema.dropTable('session_notes')
    this.schema.dropTable('appointments')
    this.schema.dropTable('appointment_types')
  }
}
