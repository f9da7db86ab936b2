import { StaffUserSchema } from '#database/schema'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { hasMany, scope } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import Appointment from '#models/appointment'
import Client from '#models/client'

export const STAFF_ROLES = ['ceo', 'admin', 'support_staff', 'clinician'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

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

  /** Ends every open session of this account on its next request. */
  async endAllSessions() {
    this.sessionEpoch += 1
    await this.save()
  }
}
