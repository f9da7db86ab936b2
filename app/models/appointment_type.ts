import { AppointmentTypeSchema } from '#database/schema'
import { scope } from '@adonisjs/lucid/orm'

export default class AppointmentType extends AppointmentTypeSchema {
  /** Types offered for new bookings; a deactivated one stays on its past appointments. */
  static active = scope((query) => {
    query.where('appointment_types.is_active', true)
  })

  static alphabetical = scope((query) => {
    query.orderByRaw('lower(appointment_types.name) asc').orderBy('appointment_types.id', 'asc')
  })

  /** Postgres' unique violation on the name, for a clear form error when two people race. */
  static isDuplicateNameError(error: unknown) {
    const failure = error as { code?: string; constraint?: string } | null
    return failure?.code === '23505' && (failure.constraint ?? '').includes('name')
  }
}
