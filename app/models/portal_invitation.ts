import { PortalInvitationSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Client from '#models/client'
import StaffUser from '#models/staff_user'
import type { Relationship } from '#models/client_user_link'

/** Only the SHA-256 of the emailed token is stored. */
export default class PortalInvitation extends PortalInvitationSchema {
  /** Account machinery: the app role's own pool, outside any client transaction. */
  static connection = 'machinery'

  declare relationship: Relationship

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  @belongsTo(() => StaffUser, { foreignKey: 'sentById' })
  declare sentBy: BelongsTo<typeof StaffUser>

  static forClient = scope((query, clientId: number) => {
    query.where('portal_invitations.client_id', clientId)
  })
}
