import { ClientUserLinkSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
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

/** Which portal account may act for which client, and as what. */
export default class ClientUserLink extends ClientUserLinkSchema {
  declare relationship: Relationship

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  @belongsTo(() => ClientUser)
  declare clientUser: BelongsTo<typeof ClientUser>

  static forClient = scope((query, clientId: number) => {
    query.where('clientId', clientId)
  })

  static live = scope((query) => {
    query.whereNull('endedAt')
  })
}
