import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| The dashboard lists the past appointments still "scheduled" (attendance to
| record, Appointment.awaitingOutcome), oldest first. Without this index the
| planner walks appointments_starts_at_index through every past appointment
| of the practice to find the few still scheduled (at a million rows, most of
| them past and recorded). A partial index holds only scheduled rows, which
| are the future ones plus the few waiting for an outcome.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`create index appointments_scheduled_starts_at on appointments (starts_at) where status = 'scheduled'`)
  }

  async down() {
    this.schema.raw('drop index appointments_scheduled_starts_at')
  }
}
