import { WaitlistEntrySchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Client from '#models/client'
import Appointment from '#models/appointment'
import StaffUser from '#models/staff_user'
import { DAY_PART_LABELS, WEEKDAY_LABELS, daysOf, partsOf } from '#support/request_preferences'

export const WAITLIST_END_REASONS = ['left', 'removed', 'moved', 'passed', 'cancelled', 'inactive'] as const
export type WaitlistEndReason = (typeof WAITLIST_END_REASONS)[number]

/*
| A client waiting for an earlier time with a provider (issue #22). Client
| data: the portal reaches it through the PortalContext only
| (`portal.query('waitlistEntries')`); staff read it per provider.
*/
export default class WaitlistEntry extends WaitlistEntrySchema {
  static table = 'waitlist_entries'
  declare status: 'waiting' | 'ended'
  declare endedReason: WaitlistEndReason | null

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  /** The client's own later appointment, which an accepted offer moves. */
  @belongsTo(() => Appointment)
  declare appointment: BelongsTo<typeof Appointment>

  @belongsTo(() => StaffUser, { foreignKey: 'providerId' })
  declare provider: BelongsTo<typeof StaffUser>

  static forClient = scope((query, clientId: number) => {
    query.where('waitlist_entries.client_id', clientId)
  })

  static waiting = scope((query) => {
    query.where('waitlist_entries.status', 'waiting')
  })

  /** The offer order: who has waited longest first. */
  static longestWaitingFirst = scope((query) => {
    query.orderBy('waitlist_entries.created_at', 'asc').orderBy('waitlist_entries.id', 'asc')
  })

  get isWaiting() {
    return this.status === 'waiting'
  }

  get days() {
    return daysOf(this.daysOfWeek)
  }

  get parts() {
    return partsOf(this.partsOfDay)
  }

  /** Any day, any time: no limits chosen. */
  get hasNoLimits() {
    return this.daysOfWeek === 127 && this.partsOfDay === 7
  }

  /** "Mon, Wed · morning" for staff; "Any time" without limits. */
  get staffLimitSummary() {
    if (this.hasNoLimits) return 'Any time'
    return `${this.days.map((day) => WEEKDAY_LABELS[day]).join(', ')} · ${this.parts.map((part) => DAY_PART_LABELS[part]).join(', ')}`
  }
}
