import { ResourceShareSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Resource from '#models/resource'
import Client from '#models/client'
import StaffUser from '#models/staff_user'
import db from '@adonisjs/lucid/services/db'

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

  static forResource = scope((query, resourceId: number) => {
    query.where('resource_shares.resource_id', resourceId)
  })

  /** Clients by name, for the "who has it" list (joins clients). */
  static byClientName = scope((query) => {
    query
      .select('resource_shares.*')
      .join('clients', 'clients.id', 'resource_shares.client_id')
      .orderBy('clients.last_name')
      .orderBy('clients.first_name')
      .orderBy('clients.id')
  })

  /**
   * Shares a resource that is not archived with the active clients among
   * `clientIds`, in one statement. A revoked share comes back to life (the
   * pair is unique); a live one is left as it is, keeping when it was first
   * shared. Returns the clients who gained access.
   */
  static async shareWith(resourceId: number, clientIds: number[], sharedById: number) {
    if (!clientIds.length) return []
    const result = await db.rawQuery(
      `insert into resource_shares (resource_id, client_id, shared_by_id, shared_at, created_at, updated_at)
       select r.id, c.id, ?, now(), now(), now()
         from resources r
         join clients c on c.id = any(?::bigint[]) and c.status = 'active'
        where r.id = ? and r.archived_at is null
       on conflict (resource_id, client_id) do update
          set revoked_at = null, revoked_by_id = null,
              shared_by_id = excluded.shared_by_id, shared_at = now(), updated_at = now()
        where resource_shares.revoked_at is not null
       returning client_id`,
      [sharedById, clientIds, resourceId]
    )
    return (result.rows as { client_id: number }[]).map((row) => Number(row.client_id))
  }

  /** Ends a client's live share; false when there was none. */
  static async revoke(resourceId: number, clientId: number, revokedById: number) {
    const revoked = await db
      .from('resource_shares')
      .where({ resource_id: resourceId, client_id: clientId })
      .whereNull('revoked_at')
      .update(
        { revoked_at: new Date(), revoked_by_id: revokedById, updated_at: new Date() },
        ['id']
      )
    return revoked.length > 0
  }
}
