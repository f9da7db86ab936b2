import { StaffUserSchema } from '#database/schema'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { column, hasMany, scope } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import Appointment from '#models/appointment'
import Client from '#models/client'

export const STAFF_ROLES = ['ceo', 'admin', 'support_staff', 'clinician'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

/** Roles that must sign in with a second factor (DESIGN §2: they hold the keys). */
export const TWO_FACTOR_ROLES: readonly StaffRole[] = ['ceo', 'admin']

export const ROLE_LABELS: Record<StaffRole, string> = {
  ceo: 'Practice owner',
  admin: 'Executive administrator',
  support_staff: 'Support staff',
  clinician: 'Clinician',
}

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

export default class StaffUser extends compose(StaffUserSchema, AuthFinder) {
  /** Account machinery: the app role's own pool, outside any client transaction. */
  static connection = 'machinery'

  declare role: StaffRole

  /** Encrypted at rest (app/services/two_factor.ts); never serialized. */
  @column({ serializeAs: null })
  declare totpSecret: string | null

  @hasMany(() => Appointment, { foreignKey: 'providerId' })
  declare appointments: HasMany<typeof Appointment>

  @hasMany(() => Client, { foreignKey: 'primaryClinicianId' })
  declare primaryClients: HasMany<typeof Client>

  static clinicians = scope((query) => {
    query.where('role', 'clinician').where('isActive', true)
  })

  get roleLabel() {
    return ROLE_LABELS[this.role]
  }

  /** Two-factor sign-in is confirmed: the password alone signs nobody in. */
  get hasTwoFactor() {
    return this.totpConfirmedAt !== null && this.totpSecret !== null
  }

  /** A ceo or admin without two-factor sign-in may only enrol until they have it. */
  get mustEnrolTwoFactor() {
    return TWO_FACTOR_ROLES.includes(this.role) && !this.hasTwoFactor
  }

  /** Invited, but has not chosen a password from the link yet. */
  get isInvited() {
    return this.passwordSetAt === null
  }

  /** Ends every open session of this account on its next request. */
  async endAllSessions() {
    this.sessionEpoch += 1
    await this.save()
  }
}
