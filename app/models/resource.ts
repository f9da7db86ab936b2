import { ResourceSchema } from '#database/schema'
import { belongsTo, hasMany, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import ResourceCategory from '#models/resource_category'
import ResourceShare from '#models/resource_share'
import StaffUser from '#models/staff_user'

export default class Resource extends ResourceSchema {
  @belongsTo(() => ResourceCategory, { foreignKey: 'categoryId' })
  declare category: BelongsTo<typeof ResourceCategory>

  @belongsTo(() => StaffUser, { foreignKey: 'uploadedById' })
  declare uploadedBy: BelongsTo<typeof StaffUser>

  @hasMany(() => ResourceShare)
  declare shares: HasMany<typeof ResourceShare>

  /** Visible to a client only through a live share, and never once archived. */
  static forClient = scope((query, clientId: number) => {
    query.whereNull('resources.archived_at').whereExists((shares) => {
      shares
        .from('resource_shares')
        .whereColumn('resource_shares.resource_id', 'resources.id')
        .where('resource_shares.client_id', clientId)
        .whereNull('resource_shares.revoked_at')
    })
  })
}
