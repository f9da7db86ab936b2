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

/*
| What a link lets its account see and change for the client (DESIGN §14).
| A client's own link (self) always counts as `full`: a teen's own account is
| never limited by a parent's level.
*/
export const ACCESS_LEVELS = ['full', 'appointments_and_resources', 'appointments'] as const
export type AccessLevel = (typeof ACCESS_LEVELS)[number]

/** Staff words (staff pages stay English; the portal's are in resources/lang/<locale>/family.json). */
export const ACCESS_LEVEL_LABELS: Record<AccessLevel, string> = {
  full: 'Full access',
  appointments_and_resources: 'Appointments and shared resources',
  appointments: 'Appointments only',
}

/** The rights of §14 that not every level has; every level sees appointments and may confirm, cancel and ask. */
export type PortalRight = 'resources' | 'contact'

export function levelAllows(level: AccessLevel, right: PortalRight) {
  if (right === 'resources') return level === 'full' || level === 'appointments_and_resources'
  return level === 'full'
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
  declare accessLevel: AccessLevel

  /** What this link allows: a client's own link is always full. */
  get effectiveLevel(): AccessLevel {
    return this.relationship === 'self' ? 'full' : this.accessLevel
  }

  /**
   * The level a new link starts at: a parent's link to a client from the
   * practice's teen age to 17 (in the practice's time zone) starts at
   * `appointments`, and staff widen it explicitly; every other link is full.
   */
  static defaultLevel(relationship: Relationship, client: Client, teenAge: number, today: DateTime): AccessLevel {
    return relationship === 'parent' && client.isTeenOn(today, teenAge) ? 'appointments' : 'full'
  }

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
