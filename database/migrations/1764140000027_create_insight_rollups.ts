import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| The insights rollup (issue #21, "Performance"): what /insights reads for
| the whole practice instead of a million appointments, rebuilt from scratch
| by app/actions/insights/figures.ts#refreshInsightRollup (the worker once a
| minute, `node ace insights:refresh` on demand). Every definition stays in
| figures.ts; these tables only hold its counts.
|
| - insight_outcome_days: the closed practice days (before the day of the
|   refresh), per appointment outcome, by portal account and reminder;
| - insight_provider_days: the same days' outcomes per provider, and
|   insight_provider_months their sums by calendar month (a year of a large
|   practice is then a few thousand rows, not a few hundred thousand);
| - insight_clients: per client, first and last attended appointment, how
|   many attended, the last still-scheduled start, and portal adoption;
| - insight_refreshes: one row, when it was rebuilt and up to which day.
|
| Machinery only: the app role reads and writes them; the portal role has no
| grant (they hold no names, only ids and counts).
*/
const OUTCOME_COUNTS = [
  'attended',
  'no_show',
  'late_cancelled',
  'cancelled_by_practice',
  'cancelled_by_client',
  'cancelled_by_unknown',
  'scheduled',
] as const

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('insight_outcome_days', (table) => {
      table.date('day').notNullable()
      table.boolean('portal').notNullable()
      table.boolean('reminded').notNullable()
      for (const column of OUTCOME_COUNTS) table.integer(column).notNullable().defaultTo(0)
      table.primary(['day', 'portal', 'reminded'])
    })
    this.schema.createTable('insight_provider_days', (table) => {
      table.date('day').notNullable()
      table.bigInteger('provider_id').notNullable()
      for (const column of OUTCOME_COUNTS) table.integer(column).notNullable().defaultTo(0)
      table.primary(['day', 'provider_id'])
    })
    this.schema.createTable('insight_provider_months', (table) => {
      /** The month's first day (practice calendar). */
      table.date('month').notNullable()
      table.bigInteger('provider_id').notNullable()
      for (const column of OUTCOME_COUNTS) table.integer(column).notNullable().defaultTo(0)
      table.primary(['month', 'provider_id'])
    })
    this.schema.createTable('insight_clients', (table) => {
      table.bigInteger('client_id').primary()
      /** status = 'active' when it was rebuilt. */
      table.boolean('active').notNullable()
      table.timestamp('first_attended_at', { useTz: true }).nullable()
      table.timestamp('last_attended_at', { useTz: true }).nullable()
      table.integer('attended').notNullable().defaultTo(0)
      /** The latest start of an appointment still `scheduled` (drop-off: nothing scheduled from now on). */
      table.timestamp('last_scheduled_at', { useTz: true }).nullable()
      table.boolean('invited').notNullable().defaultTo(false)
      table.boolean('has_portal_account').notNullable().defaultTo(false)
      /** The latest sign-in of an account that has it active (signed in during the last 30 days). */
      table.timestamp('portal_signed_in_at', { useTz: true }).nullable()
    })
    // What the page counts, each by a short index range instead of a pass over every client.
    this.schema.raw(
      `create index insight_clients_dropped_off on insight_clients (last_attended_at) include (last_scheduled_at) where active`
    )
    this.schema.raw(`create index insight_clients_first_attended on insight_clients (first_attended_at) include (attended)`)
    this.schema.raw(`create index insight_clients_signed_in on insight_clients (portal_signed_in_at) where active`)
    this.schema.createTable('insight_refreshes', (table) => {
      table.boolean('id').primary().defaultTo(true)
      table.check('id', [], 'insight_refreshes_one_row')
      table.timestamp('refreshed_at', { useTz: true }).notNullable()
      /** The first practice day not in the day tables: the day of the refresh (still open then). */
      table.date('days_before').notNullable()
      table.integer('duration_ms').notNullable()
      /** Portal adoption when it was rebuilt (they do not depend on the period): active clients, invited, with an account. */
      table.integer('active_clients').notNullable()
      table.integer('invited').notNullable()
      table.integer('with_account').notNullable()
    })
  }

  async down() {
    this.schema.dropTable('insight_refreshes')
    this.schema.dropTable('insight_clients')
    this.schema.dropTable('insight_provider_months')
    this.schema.dropTable('insight_provider_days')
    this.schema.dropTable('insight_outcome_days')
  }
}
