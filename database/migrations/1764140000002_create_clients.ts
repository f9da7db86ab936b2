import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('clients', (table) => {
      table.bigIncrements('id')
      table.text('first_name').notNullable()
      table.text('last_name').notNullable()
      table.text('preferred_name').nullable()
      table.date('date_of_birth').nullable()
      table.text('email').nullable()
      table.text('phone').nullable()
      table.text('address_line_1').nullable()
      table.text('address_line_2').nullable()
      table.text('city').nullable()
      table.text('region').nullable()
      table.text('postal_code').nullable()
      table.text('status').notNullable().defaultTo('active')
      table
        .bigInteger('primary_clinician_id')
        .nullable()
        .references('staff_users.id')
        .onDelete('SET NULL')
      table.timestamps(true, true)

      table.check(`status in ('active', 'inactive', 'discharged')`, [], 'clients_status')
      table.check(`email is null or email = lower(email)`, [], 'clients_email_lower')
      table.index(['primary_clinician_id'])
      table.index(['status'])
    })
    this.schema.raw('create index clients_last_name_lower on clients (lower(last_name), lower(first_name))')

    this.schema.createTable('emergency_contacts', (table) => {
      table.bigIncrements('id')
      table.bigInteger('client_id').notNullable().references('clients.id').onDelete('CASCADE')
      table.text('name').notNullable()
      table.text('relationship').notNullable()
      table.text('phone').notNullable()
      table.text('email').nullable()
      table.smallint('priority').notNullable().defaultTo(1)
      table.timestamps(true, true)

      table.index(['client_id', 'priority'])
      table.check(`priority between 1 and 9`, [], 'emergency_contacts_priority')
    })

    this.schema.createTable('client_preferences', (table) => {
      table.bigInteger('client_id').primary().references('clients.id').onDelete('CASCADE')
      table.text('reminder_channel').notNullable().defaultTo('email')
      table.integer('reminder_lead_hours').notNullable().defaultTo(24)
      table.text('preferred_language').notNullable().defaultTo('en')
      table.boolean('consent_email').notNullable().defaultTo(true)
      table.boolean('consent_sms').notNullable().defaultTo(false)
      /* Reminder emails carry date and time only unless the client opts in. */
      table.boolean('consent_details_in_email').notNullable().defaultTo(false)
      table.timestamps(true, true)

      table.check(`reminder_channel in ('email', 'none')`, [], 'client_preferences_channel')
      table.check(`reminder_lead_hours between 1 and 168`, [], 'client_preferences_lead')
    })
  }

  async down() {
    this.schema.dropTable('client_preferences')
    this.schema.dropTable('emergency_contacts')
    this.schema.dropTable('clients')
  }
}
