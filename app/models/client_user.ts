import { ClientUserSchema } from '#database/schema'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { afterFind, hasMany, scope } from '@adonisjs/lucid/orm'
import db from '@adonisjs/lucid/services/db'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import ClientUserLink, { JOINED_CLIENT_JSON } from '#models/client_user_link'
import Client, { ALL_CLIENTS_ROLES } from '#models/client'
import type StaffUser from '#models/staff_user'
import type { PortalLocale } from '#support/locales'
import { fixedStatement } from '#services/prepared_statements'

export type ClientUserStatus = 'onboarding' | 'active' | 'disabled'

/** Staff's words for a portal account's status. */
export const ACCOUNT_STATUS_LABELS: Record<ClientUserStatus, string> = {
  onboarding: 'Setting up',
  active: 'Active',
  disabled: 'Disabled',
}

/**
 * An account's live, verified links with their clients and each client's
 * discreet mode, as JSON rows. A function: the models import each other, so
 * JOINED_CLIENT_JSON is read at first use, not at import.
 */
const liveLinksSql = () => `coalesce((
  select json_agg(json_build_object(
    'id', l.id, 'client_id', l.client_id, 'client_user_id', l.client_user_id,
    'relationship', l.relationship, 'access_level', l.access_level, 'last_viewed_at', l.last_viewed_at::text, 'joined_client', ${JOINED_CLIENT_JSON},
    'discreet_mode', coalesce((select p.discreet_mode from client_preferences p where p.client_id = l.client_id), false)
  ) order by l.id)
  from client_user_links l join clients on clients.id = l.client_id
  where l.client_user_id = client_users.id and l.ended_at is null and l.verified_at is not null
), '[]')`

let readAccountWithLiveLinks: ReturnType<typeof fixedStatement> | undefined

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/** A portal account: a client, or a guardian acting for one or more clients. */
export default class ClientUser extends compose(ClientUserSchema, AuthFinder) {
  /** Account machinery: the app role's own pool, outside any client transaction. */
  static connection = 'machinery'

  declare status: ClientUserStatus
  /** The language of this person's pages and mails (DESIGN §16). */
  declare language: PortalLocale

  @hasMany(() => ClientUserLink)
  declare links: HasMany<typeof ClientUserLink>

  get statusLabel() {
    return ACCOUNT_STATUS_LABELS[this.status] ?? this.status
  }

  /**
   * The live, verified links and their clients, as of this request. Read in
   * the same statement as the account when the `client_users` guard signs a
   * request in (PortalAccountProvider), so portal access costs no extra
   * round trip; never kept across requests. Each link also carries its
   * client's discreet mode (`$extras.discreet_mode`), which every portal
   * page's tab title needs (PortalContext.discreetMode).
   */
  declare liveLinks?: ClientUserLink[]

  static withLiveLinks = scope((query) => {
    query.select('client_users.*').select(db.raw(`${liveLinksSql()} as live_links`))
  })

  /**
   * The account with its live links (withLiveLinks), as the `client_users`
   * guard reads it on every portal request (PortalAccountProvider): one
   * fixed statement, prepared on each connection.
   */
  static async findWithLiveLinks(id: number) {
    readAccountWithLiveLinks ??= fixedStatement(
      'portal_account',
      `select client_users.*, ${liveLinksSql()} as live_links from client_users where client_users.id = ? limit 1`
    )
    const [row] = (await readAccountWithLiveLinks(db.connection(ClientUser.connection), [id])).rows
    if (!row) return null
    const account = ClientUser.$createFromAdapterResult(row)!
    ClientUser.hydrateLiveLinks(account)
    return account
  }

  /**
   * The accounts a staff member's figures count: every account for the
   * roles that see every client; for a clinician those with a live link to a
   * client of her caseload (Client.visibleTo).
   */
  static actingForClientsOf = scope((query, staff: Pick<StaffUser, 'id' | 'role'>) => {
    if (ALL_CLIENTS_ROLES.includes(staff.role)) return
    query.whereExists((links) => {
      links
        .from('client_user_links')
        .whereColumn('client_user_links.client_user_id', 'client_users.id')
        .whereNull('client_user_links.ended_at')
        .whereNotNull('client_user_links.verified_at')
        .whereIn(
          'client_user_links.client_id',
          Client.query()
            .withScopes((scopes) => scopes.visibleTo(staff))
            .select('clients.id')
        )
    })
  })

  @afterFind()
  static hydrateLiveLinks(account: ClientUser) {
    const rows: Record<string, unknown>[] | undefined = account.$extras.live_links
    if (!rows) return
    account.liveLinks = rows.map((row) => ClientUserLink.$createFromAdapterResult(row)!)
    ClientUserLink.hydrateJoinedClients(account.liveLinks)
  }

  /** `liveLinks`, read now if the account was loaded without them. */
  async loadLiveLinks() {
    if (!this.liveLinks) {
      const fresh = await ClientUser.query().withScopes((scopes) => scopes.withLiveLinks()).where('id', this.id).firstOrFail()
      this.liveLinks = fresh.liveLinks
    }
    return this.liveLinks!
  }

  /** Ends every open session of this account on its next request. */
  async endAllSessions() {
    this.sessionEpoch += 1
    await this.save()
  }
}
