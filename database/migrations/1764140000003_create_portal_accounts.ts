import { BaseSchema } from '@adonisjs/lucid/schema'

const RELATIONSHIPS = `('self', 'parent', 'legal_guardian', 'authorized_caregiver')`

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('client_users', (table) => {
      table.bigIncrements('id')
      table.text('email').notNullable()
      table.text('password').notNullable()
      table.text('display_name').notNullable()
      table.text('status').notNullable().defaultTo('onboarding')
      table.integer('session_epoch').notNullable().defaultTo(0)
      table.timestamp('last_sign_in_at').nullable()
      table.timestamps(true, true)

      table.unique(['email'])
      table.check(`email = lower(email)`, [], 'client_users_email_lower')
      table.check(`status in ('onboarding', 'active', 'disabled')`, [], 'client_users_status')
    })

    this.schema.createTable('client_user_links', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('client_user_id')
        .notNullable()
        .references('client_users.id')
        .onDelete('CASCADE')
      table.bigInteger('client_id').notNullable().references('clients.id').onDelete('CASCADE')
      table.text('relationship').notNullable()
      /* An authorized caregiver acts only with the adult client's recorded consent. */
      table.timestamp('consent_recorded_at').nullable()
      /* Set once the identity check of onboarding passed for this link. */
      table.timestamp('verified_at').nullable()
      table.timestamp('ended_at').nullable()
      table.timestamps(true, true)

      table.check(`relationship in ${RELATIONSHIPS}`, [], 'client_user_links_relationship')
      table.check(
        `relationship <> 'authorized_caregiver' or consent_recorded_at is not null`,
        [],
        'client_user_links_caregiver_consent'
      )
      table.index(['client_id'])
    })
    this.schema.raw(
      `create unique index client_user_links_live on client_user_links (client_user_id, client_id) where ended_at is null`
    )

    this.schema.createTable('portal_invitations', (table) => {
      table.bigIncrements('id')
      table.bigInteger('client_id').notNullable().references('clients.id').onDelete('CASCADE')
      table.text('email').notNullable()
      table.text('relationship').notNullable()
      table.text('recipient_name').nullable()
      table.text('token_hash').notNullable()
      table.timestamp('expires_at').notNullable()
      table.bigInteger('sent_by_id').nullable().references('staff_users.id').onDelete('SET NULL')
      table.integer('sent_count').notNullable().defaultTo(1)
      table.timestamp('last_sent_at').nullable()
      table.timestamp('accepted_at').nullable()
      table
        .bigInteger('accepted_by_id')
        .nullable()
        .references('client_users.id')
        .onDelete('SET NULL')
      table.timestamp('verified_at').nullable()
      table.integer('verify_attempts').notNullable().defaultTo(0)
      table.timestamp('locked_at').nullable()
      table.timestamp('revoked_at').nullable()
      table.timestamps(true, true)

      table.unique(['token_hash'])
      table.check(`email = lower(email)`, [], 'portal_invitations_email_lower')
      table.check(`relationship in ${RELATIONSHIPS}`, [], 'portal_invitations_relationship')
      table.index(['client_id'])
      table.index(['email'])
    })

    /* Password resets and email changes: only the SHA-256 of a token is kept. */
    this.schema.createTable('one_time_tokens', (table) => {
      table.bigIncrements('id')
      table.text('purpose').notNullable()
      table
        .bigInteger('client_user_id')
        .nullable()
        .references('client_users.id')
        .onDelete('CASCADE')
      table.bigInteger('staff_user_id').nullable().references('staff_users.id').onDelete('CASCADE')
      table.text('token_hash').notNullable()
      table.jsonb('payload').nullable()
      table.timestamp('expires_at').notNullable()
      table.timestamp('used_at').nullable()
      table.timestamp('created_at').notNullable().defaultTo(this.now())

      table.unique(['token_hash'])
      table.check(
        `purpose in ('password_reset', 'email_change', 'staff_invite')`,
        [],
        'one_time_tokens_purpose'
      )
      table.check(
        `(client_user_id is null) <> (staff_user_id is null)`,
        [],
        'one_time_tokens_one_subject'
      )
      table.index(['expires_at'])
    })

    this.schema.createTable('sessions', (table) => {
      table.string('id').primary()
      table.text('data').notNullable()
      table.string('user_id').nullable().index()
      table.timestamp('expires_at').notNullable().index()
    })
  }

  async down() {
    this.schema.dropTable('sessions')
    this.schema.dropTable('one_time_tokens')
    this.schema.dropTable('portal_invitations')
    this.schema.dropTable('client_user_links')
    this.schema.dropTable('client_users')
  }
}
