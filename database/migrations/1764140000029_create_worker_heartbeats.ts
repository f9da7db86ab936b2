import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Each running worker (`node ace jobs:work`) says it is alive here every few
| seconds, so /health can report the last heartbeat of any worker on any
| machine. One row per worker id (host:pid); rows of long-gone workers are
| removed by the workers themselves after a day.
| Machinery only: the portal role has no grant on it.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('worker_heartbeats', (table) => {
      table.text('worker_id').primary()
      table.timestamp('started_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('beat_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['beat_at'])
    })
  }

  async down() {
    this.schema.dropTable('worker_heartbeats')
  }
}
