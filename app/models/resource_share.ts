import { ResourceShareSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Resource from '#models/resource'
import Client from '#models/client'
import StaffUser from '#models/staff_user'

/** Unsharing sets revokedAt; sharing again clears it. */
export default class ResourceShare extends ResourceShareSchema {
  @belongsTo(() => Resource)
  declare resource: BelongsTo<typeof Resource>

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  @belongsTo(() => StaffUser, { foreignKey: 'sharedById' })
  declare sharedBy: BelongsTo<typeof StaffUser>

  static forClient = scope((query, clientId: number) => {
    query.where('resource_shares.client_id', clientId)
  })

  static live = scope((query) => {
    query.whereNull('resource_shares.revoked_at')
  })
}
