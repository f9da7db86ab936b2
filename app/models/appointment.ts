import { AppointmentSchema } from '#database/schema'
import { afterFetch, afterFind, belongsTo, hasOne, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasOne } from '@adonisjs/lucid/types/relations'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import Client, { ALL_CLIENTS_ROLES } from '#models/client'
import StaffUser from '#models/staff_user'
import AppointmentType from '#models/appointment_type'
import SessionNote from '#models/session_note'
import ProviderName from '#models/provider_name'
import { formatDateTime, formatTime, inPractice } from '#support/practice_time'
import { FREE_TIME_SEARCH_DAYS, nextFreeTimes } from '#support/free_times'
import { joinedColumns, setJoined } from '#models/concerns/joined_relations'
import { BookingClash } from '#exceptions/booking_clash'

export const APPOINTMENT_STATUSES = [
  'scheduled',
  'completed',
  'cancelled',
  'late_cancelled',
  'no_show',
] as const
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number]

/** The staff list's sortable columns. */
export const APPOINTMENT_SORTS = ['when', 'client', 'clinician', 'status'] as const
export type AppointmentSort = (typeof APPOINTMENT_SORTS)[number]

/** Who cancelled: staff, the client signed in on the portal, or the client through an emailed link. */
export const CANCELLED_BY_KINDS = ['practice', 'client', 'client_link'] as const
export type CancelledByKind = (typeof CANCELLED_BY_KINDS)[number]

/** What happened at a session that has started; staff may correct one to the other. */
export const OUTCOME_STATUSES = ['completed', 'no_show'] as const
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number]

/**
 * The one vocabulary for outcomes, on staff pages and in the portal alike:
 * plain and calm for clients ("Missed" blames nobody, "No-show" is jargon),
 * and exact enough for staff.
 */
export const OUTCOME_LABELS: Record<OutcomeStatus, string> = {
  completed: 'Attended',
  no_show: 'Missed',
}

/** Staff see exactly what happened. */
export const STAFF_STATUS_LABELS: Record<AppointmentStatus, string> = {
  scheduled: 'Scheduled',
  ...OUTCOME_LABELS,
  cancelled: 'Cancelled',
  late_cancelled: 'Late cancellation',
}

/** The portal's words: the same, except that a late cancellation is simply cancelled for the client. */
export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  ...STAFF_STATUS_LABELS,
  late_cancelled: 'Cancelled',
}

/** Staff's word for a session whose start has passed while it is still "scheduled". */
export const AWAITING_OUTCOME_LABEL = 'Attendance not recorded yet'

type AppointmentQuery = ModelQueryBuilderContract<typeof Appointment>

/** What staff choose when booking or rescheduling: provider, type, time and place. */
export interface BookingDetails {
  providerId: number
  appointmentTypeId: number
  startsAt: DateTime
  /** Without an end, the type's usual length. */
  endsAt?: DateTime
  modality: 'in_person' | 'telehealth'
  location?: string
  /** Telehealth: its own video room; without one, its provider's (StaffUser#videoRoomUrl). */
  videoUrl?: string | null
}

/** A time the database refused for a provider. */
interface RefusedTime {
  providerId: number
  startsAt: DateTime
  endsAt: DateTime
  /** When rescheduling: the appointment being moved, whose own time does not count as busy. */
  appointmentId?: number
}

/** Appointment metadata only: anything clinical is in SessionNote. */
export default class Appointment extends AppointmentSchema {
  declare status: AppointmentStatus
  declare cancelledByKind: CancelledByKind | null

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

  /**
   * The appointments a staff member may see: all for ceo, admin and support
   * staff; for a clinician those they provide and those of clients in their
   * caseload (Client.visibleTo); none for any other role.
   */
  static visibleTo = scope((query, staff: Pick<StaffUser, 'id' | 'role'>) => {
    if (ALL_CLIENTS_ROLES.includes(staff.role)) return
    if (staff.role !== 'clinician') {
      query.whereRaw('false')
      return
    }
    query.where((caseload) => {
      caseload
        .where('appointments.provider_id', staff.id)
        .orWhereIn(
          'appointments.client_id',
          Client.query()
            .withScopes((scopes) => scopes.visibleTo(staff))
            .select('clients.id')
        )
    })
  })

  /** Appointments starting at or after `from` and before `until`. */
  static startingBetween = scope((query, from: DateTime, until: DateTime) => {
    query
      .where('appointments.starts_at', '>=', from.toUTC().toISO()!)
      .where('appointments.starts_at', '<', until.toUTC().toISO()!)
  })

  static providedBy = scope((query, providerId: number) => {
    query.where('appointments.provider_id', providerId)
  })

  /**
   * The appointments on a staff member's own to-do lists (the dashboard's
   * outcomes to record): a clinician's are those she provides, not her
   * colleagues' sessions with clients of her caseload; every other role
   * that sees appointments works for the whole practice.
   */
  static worklistOf = scope<typeof Appointment, (query: AppointmentQuery, staff: Pick<StaffUser, 'id' | 'role'>) => void>((query, staff) => {
    query.withScopes((scopes) => scopes.visibleTo(staff))
    if (staff.role === 'clinician') query.where('appointments.provider_id', staff.id)
  })

  /** Sessions that have started (or are over) with nothing recorded: still "scheduled". */
  static awaitingOutcome = scope((query, now: DateTime = DateTime.now()) => {
    query.where('appointments.status', 'scheduled').where('appointments.starts_at', '<=', now.toUTC().toISO()!)
  })

  /** Appointments that hold their time: what the exclusion constraint appointments_no_double_booking compares. */
  static holdingTheirTime = scope((query) => {
    query.whereNotIn('appointments.status', ['cancelled', 'late_cancelled'])
  })

  /** Appointments overlapping [from, until): back to back is no overlap. */
  static overlapping = scope((query, from: DateTime, until: DateTime) => {
    query
      .where('appointments.starts_at', '<', until.toUTC().toISO()!)
      .where('appointments.ends_at', '>', from.toUTC().toISO()!)
  })

  static except = scope((query, appointmentId: number | undefined) => {
    if (appointmentId !== undefined) query.whereNot('appointments.id', appointmentId)
  })

  /** The list's order when a column is chosen; then by time. */
  static sortedBy = scope((query, sort: AppointmentSort, dir: 'asc' | 'desc') => {
    if (sort === 'client') {
      query.orderByRaw(`(select lower(clients.last_name) || ' ' || lower(clients.first_name) from clients where clients.id = appointments.client_id) ${dir === 'desc' ? 'desc' : 'asc'}`)
    } else if (sort === 'clinician') {
      query.orderByRaw(`(select lower(staff_users.name) from staff_users where staff_users.id = appointments.provider_id) ${dir === 'desc' ? 'desc' : 'asc'}`)
    } else if (sort === 'status') {
      query.orderBy('appointments.status', dir)
    }
    const timeDir = sort === 'when' ? dir : 'asc'
    query.orderBy('appointments.starts_at', timeDir).orderBy('appointments.id', timeDir)
  })

  static chronological = scope((query) => {
    query.orderBy('appointments.starts_at', 'asc').orderBy('appointments.id', 'asc')
  })

  /**
   * The portal's list details in the same statement: the type, and the
   * provider's name through the portal's provider-names view (null when the
   * view does not show them). Sets `appointmentType` and `providerName`.
   */
  static withPortalDetails = scope((query) => {
    query
      .select('appointments.*')
      .select(joinedColumns('appointment_types', ['id', 'name'], 'joined_type'))
      .select(joinedColumns('portal_provider_names', ['id', 'name'], 'joined_provider'))
      .innerJoin('appointment_types', 'appointment_types.id', 'appointments.appointment_type_id')
      .leftJoin('portal_provider_names', 'portal_provider_names.id', 'appointments.provider_id')
  })

  /**
   * The video room a telehealth appointment takes, through the portal's
   * portal_video_rooms view (its own link, else its provider's room): in
   * `$extras.video_room_url`, read by `portalVideoUrl`. Portal queries only.
   */
  static withVideoRoom = scope((query) => {
    query
      .select('portal_video_rooms.url as video_room_url')
      .leftJoin('portal_video_rooms', 'portal_video_rooms.appointment_id', 'appointments.id')
  })

  /**
   * The portal's "next appointment": the first scheduled one still to start,
   * or a video session under way (it can still be joined until it ends).
   */
  static nextForPortal = scope((query, now: DateTime) => {
    query
      .where('appointments.status', 'scheduled')
      .where((next) => {
        next
          .where('appointments.starts_at', '>=', now.toSQL()!)
          .orWhere((underway) => underway.where('appointments.is_telehealth', true).where('appointments.ends_at', '>', now.toSQL()!))
      })
      .orderBy('appointments.starts_at', 'asc')
  })

  @afterFetch()
  static setJoinedDetails(appointments: Appointment[]) {
    setJoined(appointments, 'joined_type', 'appointmentType', AppointmentType)
    setJoined(appointments, 'joined_provider', 'providerName', ProviderName)
  }

  @afterFind()
  static setJoinedDetailsOfOne(appointment: Appointment) {
    Appointment.setJoinedDetails([appointment])
  }

  /** Client, provider and type of each appointment, one query per relation. */
  static withListDetails = scope<typeof Appointment, (query: AppointmentQuery) => void>((query) => {
    query.preload('client').preload('provider').preload('appointmentType')
  })

  /**
   * An appointment this staff member may see, with its client, provider and
   * type. One outside a clinician's caseload is the same 404 as one that does
   * not exist; the policy then checks again.
   */
  static findVisibleOrFail(staff: Pick<StaffUser, 'id' | 'role'>, id: string | number) {
    return Appointment.query()
      .withScopes((scopes) => {
        scopes.visibleTo(staff)
        scopes.withListDetails()
      })
      .where('appointments.id', id)
      .firstOrFail()
  }

  /** The database refused a booking because the provider is busy then (appointments_no_double_booking). */
  static isDoubleBookingError(error: unknown) {
    const failure = error as { code?: string; constraint?: string } | null
    return failure?.code === '23P01' && failure.constraint === 'appointments_no_double_booking'
  }

  /** Books a scheduled appointment (in `client`'s transaction when given); a BookingClash when the provider is busy then. */
  static async book(details: BookingDetails & { clientId: number }, options: { client?: TransactionClientContract } = {}) {
    const appointment = new Appointment()
    if (options.client) appointment.useTransaction(options.client)
    appointment.merge({ clientId: details.clientId, status: 'scheduled', ...(await Appointment.slotOf(details)) })
    await appointment.saveBooking()
    return appointment
  }

  /** Moves it to another time, provider, type or place; false when nothing changed (nothing is saved). */
  async reschedule(this: Appointment, details: BookingDetails) {
    this.merge(await Appointment.slotOf(details))
    // A time read back from the database is another DateTime object: compare instants.
    for (const column of ['startsAt', 'endsAt'] as const) {
      if (this.$original[column]?.toMillis() === this[column].toMillis()) this[column] = this.$original[column]
    }
    if (!this.$isDirty) return false
    // The calendar event changes: calendars holding it update it (the .ics SEQUENCE).
    this.calendarSequence = (this.calendarSequence ?? 0) + 1
    await this.saveBooking()
    return true
  }

  /** The columns a booking sets; without an end, the type's usual length. */
  private static async slotOf(details: BookingDetails) {
    const type = details.endsAt ? null : await AppointmentType.findOrFail(details.appointmentTypeId)
    return {
      providerId: details.providerId,
      appointmentTypeId: details.appointmentTypeId,
      startsAt: details.startsAt,
      endsAt: details.endsAt ?? details.startsAt.plus({ minutes: type!.defaultMinutes }),
      isTelehealth: details.modality === 'telehealth',
      location: details.location || null,
      videoUrl: details.modality === 'telehealth' ? details.videoUrl || null : null,
    }
  }

  private async saveBooking() {
    try {
      await this.save()
    } catch (failure) {
      if (!Appointment.isDoubleBookingError(failure)) throw failure
      const refused = { providerId: this.providerId, startsAt: this.startsAt, endsAt: this.endsAt }
      throw new BookingClash(
        await Appointment.clashExplanation(this.$isPersisted ? { ...refused, appointmentId: this.id } : refused)
      )
    }
  }

  /**
   * What staff read next to the time when the database refused a booking:
   * when the clashing appointment is (never whose it is: its client is none
   * of this booking's business), and the provider's next free times of the
   * same length.
   */
  static async clashExplanation(refused: RefusedTime) {
    const provider = await StaffUser.find(refused.providerId)
    const who = provider?.name ?? 'This clinician'
    const minutes = Math.round(refused.endsAt.diff(refused.startsAt, 'minutes').minutes)
    const providersTimes = () =>
      Appointment.query()
        .withScopes((scopes) => {
          scopes.providedBy(refused.providerId)
          scopes.holdingTheirTime()
          scopes.except(refused.appointmentId)
          scopes.chronological()
        })
        .select('appointments.id', 'appointments.starts_at', 'appointments.ends_at')

    // Suggestions start at the asked time, or now when that has passed (recording an earlier session).
    const from = DateTime.max(refused.startsAt, DateTime.now())
    const firstDay = inPractice(from).startOf('day')
    const [clash, busy] = await Promise.all([
      providersTimes().withScopes((scopes) => scopes.overlapping(refused.startsAt, refused.endsAt)).first(),
      providersTimes().withScopes((scopes) =>
        scopes.overlapping(firstDay, firstDay.plus({ days: FREE_TIME_SEARCH_DAYS + 1 }))
      ),
    ])
    const free = nextFreeTimes({ busy, from, minutes })

    const taken = clash
      ? `${who} already has an appointment from ${formatDateTime(clash.startsAt)} to ${formatTime(clash.endsAt)}.`
      : `${who} already has an appointment at that time.`
    const offered = free.length
      ? `Free times of the same length (${minutes} minutes): ${free.map((time) => formatDateTime(time)).join('; ')}.`
      : `There is no free time of the same length in working hours in the next ${FREE_TIME_SEARCH_DAYS} days. Please choose another clinician or a later date.`
    return `${taken} ${offered}`
  }

  /** The video room read with `withVideoRoom` (portal); null without one. */
  get portalVideoUrl(): string | null {
    return this.$extras.video_room_url ?? null
  }

  /** The room staff see: the appointment's own link, else its provider's (needs `provider` loaded). */
  get effectiveVideoUrl(): string | null {
    if (!this.isTelehealth) return null
    return this.videoUrl ?? this.provider?.videoRoomUrl ?? null
  }

  /** Its start has passed (or is now): a past appointment only takes an outcome. */
  get hasStarted() {
    return this.startsAt <= DateTime.now()
  }

  /** Started, and nobody has recorded yet whether the client attended. */
  get awaitingOutcome() {
    return this.status === 'scheduled' && this.hasStarted
  }

  /**
   * The portal's word for the status; null for a past session whose
   * attendance is not recorded yet: it is no longer "scheduled", and the
   * client is not asked to wonder about a record keeping step.
   */
  get statusLabel(): string | null {
    return this.awaitingOutcome ? null : STATUS_LABELS[this.status]
  }

  get staffStatusLabel() {
    return this.awaitingOutcome ? AWAITING_OUTCOME_LABEL : (STAFF_STATUS_LABELS[this.status] ?? this.status)
  }

  /** Only a session still to come is moved or cancelled; once it has started it takes an outcome. */
  get mayBeRescheduled() {
    return this.changeRefusal === null
  }

  get mayBeCancelled() {
    return this.changeRefusal === null
  }

  /** Why staff may not reschedule or cancel it, in calm words; null when they may (scheduled, still to come). */
  get changeRefusal(): string | null {
    switch (this.status) {
      case 'cancelled':
      case 'late_cancelled':
        return 'This appointment is cancelled, so it can no longer be rescheduled or cancelled. To meet at another time, please book a new appointment.'
      case 'completed':
      case 'no_show':
        return `This appointment is marked ${OUTCOME_LABELS[this.status].toLowerCase()}, so it can no longer be rescheduled or cancelled.`
      default:
        return this.hasStarted
          ? 'This appointment\'s start time has passed, so it can no longer be rescheduled or cancelled. You can record whether the client attended.'
          : null
    }
  }

  /** Attended or missed once the session has started; one may be corrected to the other. */
  get mayRecordOutcome() {
    return ['scheduled', ...OUTCOME_STATUSES].includes(this.status) && this.hasStarted
  }

  /** A calendar file is for a session still to come. */
  get mayBeAddedToCalendar() {
    return this.status === 'scheduled' && !this.hasStarted
  }

  /**
   * Whether cancelling at `now` is late: inside the practice's cancellation
   * window (`PracticeSetting#cancellationWindowHours`, passed in so staff
   * marking and client cancelling use the same figure). A window of 0: never late.
   */
  isLateCancellation(windowHours: number, now: DateTime = DateTime.now()) {
    return this.startsAt.diff(now, 'hours').hours < windowHours
  }

  /**
   * Whether the client may cancel it online at `now` (DESIGN §14, issue #19
   * item 2): 'open'; 'view_only' when the practice's mode lets clients only
   * look; 'too_late' inside the cancellation window; 'not_scheduled' for a
   * session cancelled, recorded or already started. The appointment page and
   * the "I can't make it" page show the phone instead of a cancel button
   * unless it is 'open', and the POST asks the same question.
   */
  clientCancellation(
    rules: { clientsMaySchedule: boolean; cancellationWindowHours: number },
    now: DateTime = DateTime.now()
  ): 'open' | 'view_only' | 'too_late' | 'not_scheduled' {
    if (this.status !== 'scheduled' || this.startsAt <= now) return 'not_scheduled'
    if (!rules.clientsMaySchedule) return 'view_only'
    return this.isLateCancellation(rules.cancellationWindowHours, now) ? 'too_late' : 'open'
  }

  /** Frees the slot (the double-booking rule ignores cancelled appointments); staff cancelling record the practice. */
  async cancel({ late, byStaffId }: { late: boolean; byStaffId: number | null }) {
    this.status = late ? 'late_cancelled' : 'cancelled'
    this.cancelledAt = DateTime.now()
    this.cancelledByKind = 'practice'
    this.cancelledById = byStaffId
    await this.save()
  }

  async recordOutcome(status: OutcomeStatus) {
    this.status = status
    await this.save()
  }

  /** The start as a datetime-local input shows it: practice time, "2026-03-03T14:30". */
  get startsAtInputValue() {
    return inPractice(this.startsAt).toFormat("yyyy-MM-dd'T'HH:mm")
  }

  get endsAtInputValue() {
    return inPractice(this.endsAt).toFormat("yyyy-MM-dd'T'HH:mm")
  }

  get durationMinutes() {
    return Math.round(this.endsAt.diff(this.startsAt, 'minutes').minutes)
  }
}
