import { SessionNoteSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import db from '@adonisjs/lucid/services/db'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Appointment from '#models/appointment'
import StaffUser from '#models/staff_user'

/*
| Clinical notes. Written and read only by the appointment's provider; the
| portal's database role has no grant on this table at all.
*/
export default class SessionNote extends SessionNoteSchema {
  @belongsTo(() => Appointment)
  declare appointment: BelongsTo<typeof Appointment>

  @belongsTo(() => StaffUser, { foreignKey: 'authorId' })
  declare author: BelongsTo<typeof StaffUser>

  static forClient = scope((query, clientId: number) => {
    query.whereIn(
      'session_notes.appointment_id',
      Appointment.query().select('id').where('client_id', clientId)
    )
  })

  static forAppointment = scope((query, appointmentId: number) => {
    query.where('session_notes.appointment_id', appointmentId)
  })

  /** Who wrote the appointment's note, or null when there is none; never reads the text. */
  static async authorIdFor(appointmentId: number) {
    const found = await SessionNote.query()
      .withScopes((scopes) => scopes.forAppointment(appointmentId))
      .select('session_notes.id', 'session_notes.author_id')
      .first()
    return found ? found.authorId : null
  }

  /**
   * Creates the appointment's one note, or replaces its text. One statement,
   * so two saves at once cannot both try to create it.
   */
  static async write(appointmentId: number, authorId: number, body: string) {
    const now = new Date()
    await db
      .table('session_notes')
      .insert({ appointment_id: appointmentId, author_id: authorId, body, created_at: now, updated_at: now })
      .onConflict('appointment_id')
      .merge({ body, updated_at: now })
  }
}
