import { SessionNoteSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
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
}
