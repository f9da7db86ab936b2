import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('resource_categories', (table) => {
      table.bigIncrements('id')
      table.text('name').notNullable().unique()
      table.integer('position').notNullable().defaultTo(0)
      table.timestamps(true, true)
    })

    this.schema.createTable('resources', (table) => {
      table.bigIncrements('id')
      table.text('title').notNullable()
      table.text('description').nullable()
      table
        .bigInteger('category_id')
        .nullable()
        .references('resource_categories.id')
        .onDelete('SET NULL')
      /* Key in the drive disk; files are never served from a public URL. */
      table.text('file_key').notNullable().unique()
      table.text('original_name').notNullable()
      table.text('mime_type').notNullable()
      table.bigInteger('size_bytes').notNullable()
      table.text('checksum').notNullable()
      table.bigInteger('uploaded_by_id').nullable().references('staff_users.id').onDelete('SET NULL')
      table.timestamp('archived_at').nullable()
      table.timestamps(true, true)

      table.check(`size_bytes >= 0`, [], 'resources_size')
      table.index(['category_id'])
    })

    /* Unsharing sets revoked_at; sharing again clears it. */
    this.schema.createTable('resource_shares', (table) => {
      table.bigIncrements('id')
      table.bigInteger('resource_id').notNullable().references('resources.id').onDelete('CASCADE')
      table.bigInteger('client_id').notNullable().references('clients.id').onDelete('CASCADE')
      table.bigInteger('shared_by_id').nullable().references('staff_users.id').onDelete('SET NULL')
      table.timestamp('shared_at').notNullable().defaultTo(this.now())
      table.timestamp('revoked_at').nullable()
      table.bigInteger('revoked_by_id').nullable().references('staff_users.id').onDelete('SET NULL')
      table.timestamps(true, true)

      table.unique(['resource_id', 'client_id'])
    })
    this.schema.raw(
      `create index resource_shares_live_by_client on resource_shares (client_id, shared_at desc) where revoked_at is null`
    )
  }

  async down() {
    this.schema.dropTable('resource_shares')
    this.schema.dropTable('resources')
    this.schema.dropTable('resource_categories')
  }
}
