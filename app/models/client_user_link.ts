import type { DateTime } from 'luxon'
import { ClientUserLinkSchema } from '#database/schema'
import { afterFetch, belongsTo, scope } from '@adonisjs/lucid/orm'
import db from '@adonisjs/lucid/services/db'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Client from '#models/client'
import ClientUser from '#models/client_user'

export const RELATIONSHIPS = ['self', 'parent', 'legal_guardian', 'authorized_caregiver'] as const
export type Relationship = (typeof RELATIONSHIPS)[number]

export const RELATIONSHIP_LABELS: Record<Relationship, string> = {
  self: 'Self',
  parent: 'Parent',
  legal_guardian: 'Legal guardian',
  authorized_caregiver: 'Authorized caregiver',
}

/** The columns of a link's client that portal access needs, as JSON (`clients` joined). */
export const JOINED_CLIENT_JSON = `json_build_object(
  'id', clients.id, 'first_name', clients.first_name, 'preferred_name', clients.preferred_name,
  'last_name', clients.last_name, 'date_of_birth', clients.date_of_birth, 'status', clients.status
)`

/** Which portal account may act for which client, and as what. */
export default class ClientUserLink extends ClientUserLinkSchema {
  /** Account machinery: the app role's own pool, outside any client transaction. */
  static connection = 'machinery'

  declare relationship: Relationship

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  @belongsTo(() => ClientUser)
  declare clientUser: BelongsTo<typeof ClientUser>

  static forClient = scope((query, clientId: number) => {
    query.where('clientId', clientId)
  })

  static live = scope((query) => {
    query.whereNull('client_user_links.ended_at')
  })

  /**
   * Joins each link's client (the columns portal access needs) in the same
   * statement, and sets `link.client` from it: one round trip per request.
   */
  static withClient = scope((query) => {
    query
      .select('client_user_links.*')
      .select(db.raw(`${JOINED_CLIENT_JSON} as joined_client`))
      .innerJoin('clients', 'clients.id', 'client_user_links.client_id')
  })

  /**
   * Whether this live link lets its account act for the client today: the
   * client is active, and a parent's link ends on the child's 18th birthday.
   * Re-checked on every portal request, so access ends on the next one.
   */
  grantsAccessOn(today: DateTime) {
    return this.client.status === 'active' && (this.relationship !== 'parent' || !this.client.isAdultOn(today))
  }

  @afterFetch()
  static hydrateJoinedClients(links: ClientUserLink[]) {
    for (const link of links) {
      if (link.$extras.joined_client) {
        link.$setRelated('client', Client.$createFromAdapterResult(link.$extras.joined_client)!)
      }
    }
  }
}
