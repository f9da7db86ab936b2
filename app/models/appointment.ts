import { AppointmentSchema } from '#database/schema'
import { belongsTo, hasOne, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasOne } from '@adonisjs/lucid/types/relations'
import { DateTime } from 'luxon'
import Client from '#models/client'
import StaffUser from '#models/staff_user'
import AppointmentType from '#models/appointment_type'
import SessionNote from '#models/session_note'
import ProviderName from '#models/provider_name'

export const APPOINTMENT_STATUSES = [
  'scheduled',
  'completed',
  'cancelled',
  'late_cancelled',
  'no_show',
] as const
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number]

/** Plain words for clients; a cancelled session is stated calmly. */
export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  scheduled: 'Scheduled',
  completed: 'Attended',
  cancelled: 'Cancelled',
  late_cancelled: 'Cancelled',
  no_show: 'Missed',
}

/** Appointment metadata only: anything clinical is in SessionNote. */
export default class Appointment extends AppointmentSchema {
  declare status: AppointmentStatus

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  @belongsTo(() => StaffUser, { foreignKey: 'providerId' })
  declare provider: BelongsTo<typeof StaffUser>

  /** The provider as the portal may see them: a name, nothing else. */
  @belongsTo(() => ProviderName, { foreignKey: 'providerId' })
  declare providerName: BelongsTo<typeof ProviderName>

  @belongsTo(() => AppointmentType)
  declare appointmentType: BelongsTo<typeof AppointmentType>

  @hasOne(() => SessionNote)
  declare sessionNote: HasOne<typeof SessionNote>

  static forClient = scope((query, clientId: number) => {
    query.where('appointments.client_id', clientId)
  })

  static upcoming = scope((query, now: DateTime = DateTime.now()) => {
    query.where('appointments.starts_at', '>=', now.toSQL()!).orderBy('appointments.starts_at', 'asc')
  })

  static past = scope((query, now: DateTime = DateTime.now()) => {
    query.where('appointments.starts_at', '<', now.toSQL()!).orderBy('appointments.starts_at', 'desc')
  })

  get statusLabel() {
    return STATUS_LABELS[this.status]
  }

  get durationMinutes() {
    return Math.round(this.endsAt.diff(this.startsAt, 'minutes').minutes)
  }
}
