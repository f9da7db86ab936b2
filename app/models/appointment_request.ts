import { AppointmentRequestSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import { DateTime } from 'luxon'
import Client, { ALL_CLIENTS_ROLES } from '#models/client'
import Appointment from '#models/appointment'
import StaffUser from '#models/staff_user'
import {
  DAY_PART_LABELS,
  WEEKDAY_LABELS,
  daysOf,
  partsOf,
  type RequestKind,
  type RequestModality,
  type RequestStatus,
} from '#support/request_preferences'

type RequestQuery = ModelQueryBuilderContract<typeof AppointmentRequest>

/*
| A client's request for an appointment, or to move one (issue #19). Client
| data: the portal reaches it through the PortalContext only
| (`portal.query('appointmentRequests')`); staff read it in their inbox.
| The note is the client's own words: staff read it, mail and the audit trail never do.
*/
export default class AppointmentRequest extends AppointmentRequestSchema {
  static table = 'appointment_requests'
  declare kind: RequestKind
  declare modality: RequestModality
  declare status: RequestStatus

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  /** The appointment to move (reschedule). */
  @belongsTo(() => Appointment)
  declare appointment: BelongsTo<typeof Appointment>

  @belongsTo(() => Appointment, { foreignKey: 'bookedAppointmentId' })
  declare bookedAppointment: BelongsTo<typeof Appointment>

  @belongsTo(() => StaffUser, { foreignKey: 'providerId' })
  declare provider: BelongsTo<typeof StaffUser>

  static forClient = scope((query, clientId: number) => {
    query.where('appointment_requests.client_id', clientId)
  })

  static open = scope((query) => {
    query.where('appointment_requests.status', 'open')
  })

  static newestFirst = scope((query) => {
    query.orderBy('appointment_requests.created_at', 'desc').orderBy('appointment_requests.id', 'desc')
  })

  static oldestFirst = scope((query) => {
    query.orderBy('appointment_requests.created_at', 'asc').orderBy('appointment_requests.id', 'asc')
  })

  /**
   * The requests a staff member handles: all for ceo, admin and support
   * staff; for a clinician those that name her; none for any other role.
   */
  static handledBy = scope<typeof AppointmentRequest, (query: RequestQuery, staff: Pick<StaffUser, 'id' | 'role'>) => void>(
    (query, staff) => {
      if (ALL_CLIENTS_ROLES.includes(staff.role)) return
      if (staff.role === 'clinician') query.where('appointment_requests.provider_id', staff.id)
      else query.whereRaw('false')
    }
  )

  /** How many open requests this member of staff handles (the sidebar's count). */
  static async openCountFor(staff: Pick<StaffUser, 'id' | 'role'>) {
    const row = await AppointmentRequest.query()
      .withScopes((scopes) => {
        scopes.handledBy(staff)
        scopes.open()
      })
      .count('* as total')
      .first()
    return Number(row?.$extras.total ?? 0)
  }

  get isOpen() {
    return this.status === 'open'
  }

  get days() {
    return daysOf(this.daysOfWeek)
  }

  get parts() {
    return partsOf(this.partsOfDay)
  }

  /** "Mon, Wed · morning, evening" for staff. */
  get staffPreferenceSummary() {
    return `${this.days.map((day) => WEEKDAY_LABELS[day]).join(', ')} · ${this.parts.map((part) => DAY_PART_LABELS[part]).join(', ')}`
  }

  /** How long it has waited, in whole days (0: today). */
  ageInDays(now: DateTime = DateTime.now()) {
    return Math.max(0, Math.floor(now.diff(this.createdAt, 'days').days))
  }
}
