import { ClientSchema } from '#database/schema'
import { belongsTo, hasMany, hasOne, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany, HasOne } from '@adonisjs/lucid/types/relations'
import StaffUser from '#models/staff_user'
import Appointment from '#models/appointment'
import EmergencyContact from '#models/emergency_contact'
import ClientPreference from '#models/client_preference'
import ClientUserLink from '#models/client_user_link'
import ResourceShare from '#models/resource_share'
import { formatPhoneForDisplay } from '#validators/rules/phone'

export const CLIENT_STATUSES = ['active', 'inactive', 'discharged'] as const
export type ClientStatus = (typeof CLIENT_STATUSES)[number]

export default class Client extends ClientSchema {
  declare status: ClientStatus

  @belongsTo(() => StaffUser, { foreignKey: 'primaryClinicianId' })
  declare primaryClinician: BelongsTo<typeof StaffUser>

  @hasMany(() => Appointment)
  declare appointments: HasMany<typeof Appointment>

  @hasMany(() => EmergencyContact)
  declare emergencyContacts: HasMany<typeof EmergencyContact>

  @hasOne(() => ClientPreference)
  declare preference: HasOne<typeof ClientPreference>

  @hasMany(() => ClientUserLink)
  declare portalLinks: HasMany<typeof ClientUserLink>

  @hasMany(() => ResourceShare)
  declare resourceShares: HasMany<typeof ResourceShare>

  static forClient = scope((query, clientId: number) => {
    query.where('clients.id', clientId)
  })

  /** The name to greet with: the preferred first name when there is one. */
  get displayFirstName() {
    return this.preferredName || this.firstName
  }

  get fullName() {
    return `${this.displayFirstName} ${this.lastName}`
  }

  /** The stored E.164 number as people write it: "(213) 555-0142". */
  get phoneForDisplay() {
    return formatPhoneForDisplay(this.phone)
  }
}
