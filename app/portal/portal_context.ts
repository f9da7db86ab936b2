import { HttpContext } from '@adonisjs/core/http'
import type { Session } from '@adonisjs/session'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { ModelAttributes, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import Client from '#models/client'
import type ClientUser from '#models/client_user'
import ClientUserLink, { levelAllows, type AccessLevel, type PortalRight } from '#models/client_user_link'
import { practiceToday } from '#support/practice_time'
import { beginClientTransaction } from '#portal/client_transaction'
import { CLIENT_DATA, type ClientData, type ClientDataModel, type ClientDataName } from '#portal/client_data'

/*
| The PortalContext: the only door portal code has to a client's data
| (DESIGN §5). It knows who is acting (the account), for whom (the active
| client, re-checked against the account's live links on every request) and
| holds the request's RLS transaction, switched to the portal role with that
| client's id. Portal controllers and actions read and write client data
| only through `query()` and `create()`, which always run in that
| transaction with `forClient` applied; the transaction itself never leaves
| this class.
|
| Opened by the portalContext middleware for signed-in pages, and by
| `openFor()` for a page reached through an emailed action link (§17).
*/

/** Where the session keeps the client a guardian chose. */
const ACTIVE_CLIENT_KEY = 'portal_active_client_id'

/** A client this account may act for right now, and the link that allows it. */
export interface AccessibleClient {
  link: ClientUserLink
  client: Client
}

/** What portal views may know of the context: never the transaction. */
export interface PortalView {
  account: ClientUser
  client: Client
  clients: AccessibleClient[]
  relationship: ClientUserLink['relationship']
  /** The active client's discreet mode (DESIGN §15): neutral tab titles, plain calendar files. */
  discreetMode: () => Promise<boolean>
  /** What the link's level allows (DESIGN §14): pages hide what it does not. */
  may: Record<PortalRight, boolean>
}

/*
| The views' `portal`, as an instance of a class rather than a plain object:
| Edge's share() deep-merges plain objects and arrays into the view's state
| (lodash.merge) on every request, and keeps a class instance as it is.
*/
class PortalViewData implements PortalView {
  constructor(
    readonly account: ClientUser,
    readonly client: Client,
    readonly clients: AccessibleClient[],
    readonly relationship: ClientUserLink['relationship'],
    readonly discreetMode: () => Promise<boolean>,
    readonly may: Record<PortalRight, boolean>
  ) {}
}

export type ClientChoice =
  | { chosen: AccessibleClient; clients: AccessibleClient[] }
  | { chosen: null; requestedClientId: number | null; clients: AccessibleClient[] }

export class PortalContext {
  readonly #trx: TransactionClientContract

  private constructor(
    readonly account: ClientUser,
    readonly link: ClientUserLink,
    /** Everyone this account may act for (the guardian's switcher). */
    readonly clients: AccessibleClient[],
    trx: TransactionClientContract
  ) {
    this.#trx = trx
  }

  #discreet: Promise<boolean> | null = null

  /**
   * The active client's discreet mode (DESIGN §15), for the tab title of
   * every page, a calendar file, account mail. It came with the account's
   * live links (ClientUser.withLiveLinks: no round trip of its own, issue
   * #25); a link loaded without it is asked in the request's transaction
   * the first time a page needs it. Kept for the request.
   */
  discreetMode(): Promise<boolean> {
    const known = this.link.$extras.discreet_mode
    if (typeof known === 'boolean') return Promise.resolve(known)
    this.#discreet ??= CLIENT_DATA.clientPreferences.query({ client: this.#trx })
      .withScopes((scopes) => scopes.forClient(this.client.id))
      .select('discreet_mode')
      .first()
      .then((preference) => preference?.discreetMode === true)
    return this.#discreet
  }

  /** The client whose information is on screen. */
  get client(): Client {
    return this.link.client
  }

  get isSelf() {
    return this.link.relationship === 'self'
  }

  /** The level of the link acting for the client (self: full); the RLS transaction carries it too. */
  get level(): AccessLevel {
    return this.link.effectiveLevel
  }

  /** Whether the link's level allows this right (DESIGN §14). Routes refuse the rest with 404. */
  allows(right: PortalRight) {
    return levelAllows(this.level, right)
  }

  /**
   * Everyone the account may act for today. Account machinery: the links
   * come with the account itself (ClientUser.withLiveLinks, read when the
   * guard signs the request in), so this runs no query of its own.
   */
  static async accessibleClients(account: ClientUser): Promise<AccessibleClient[]> {
    const today = practiceToday()
    const links = await account.loadLiveLinks()
    return links
      .filter((link) => link.grantsAccessOn(today))
      .map((link) => ({ link, client: link.client }))
      .sort((a, b) => a.client.displayFirstName.localeCompare(b.client.displayFirstName))
  }

  /**
   * The client a signed-in request is about: the one chosen in this session
   * if the account may still act for them, else (a new session) the one
   * viewed last. `chosen` is null when the chosen client's access ended.
   */
  static async choose(account: ClientUser, session: Session): Promise<ClientChoice> {
    const clients = await PortalContext.accessibleClients(account)
    const requestedClientId = Number(session.get(ACTIVE_CLIENT_KEY)) || null
    const chosen = requestedClientId
      ? clients.find(({ client }) => client.id === requestedClientId)
      : lastViewedOrFirst(clients)

    if (!chosen) {
      session.forget(ACTIVE_CLIENT_KEY)
      return { chosen: null, requestedClientId, clients }
    }
    if (requestedClientId !== chosen.client.id) session.put(ACTIVE_CLIENT_KEY, chosen.client.id)
    return { chosen, clients }
  }

  /** Opens the request's RLS transaction for the chosen client. */
  static async open(account: ClientUser, choice: { chosen: AccessibleClient; clients: AccessibleClient[] }) {
    const trx = await beginClientTransaction(choice.chosen.client.id, choice.chosen.link.effectiveLevel)
    return new PortalContext(account, choice.chosen.link, choice.clients, trx)
  }

  /**
   * For a page an emailed action link opens (DESIGN §17): the link's
   * recipient acting for the link's client, only while that access is still
   * live (link not ended, client active, age rules). Null otherwise. The
   * transaction carries the link's level, as a signed-in request's does.
   */
  static async openFor(account: ClientUser, clientId: number) {
    const clients = await PortalContext.accessibleClients(account)
    const chosen = clients.find(({ client }) => client.id === clientId)
    return chosen ? PortalContext.open(account, { chosen, clients }) : null
  }

  /** The client the session shows next (after an identity check, or a guardian's switch). */
  static rememberChoice(session: Session, clientId: number) {
    session.put(ACTIVE_CLIENT_KEY, clientId)
  }

  /**
   * A guardian's switch to another person this account may act for now:
   * the session shows them from the next request on, and the next sign-in
   * opens on them too. Null (and nothing changes) for anyone else.
   */
  async switchTo(session: Session, clientId: number) {
    const chosen = this.clients.find(({ client }) => client.id === clientId)
    if (!chosen) return null
    session.put(ACTIVE_CLIENT_KEY, chosen.client.id)
    await ClientUserLink.query().where('id', chosen.link.id).update({ last_viewed_at: new Date() })
    return chosen
  }

  /**
   * A query on the request's transaction with `forClient` of the active
   * client applied: rows it loads save and delete in that transaction too.
   */
  query<Name extends ClientDataName>(name: Name): ModelQueryBuilderContract<ClientData[Name], InstanceType<ClientData[Name]>> {
    const model: ClientDataModel = CLIENT_DATA[name]
    return model.query({ client: this.#trx }).withScopes((scopes: any) => scopes.forClient(this.client.id)) as any
  }

  /** A new row of the active client's, in the request's transaction. */
  create<Name extends ClientDataName>(
    name: Name,
    attributes: Partial<ModelAttributes<InstanceType<ClientData[Name]>>>
  ): Promise<InstanceType<ClientData[Name]>> {
    const model: ClientDataModel = CLIENT_DATA[name]
    return model.create({ ...attributes, clientId: this.client.id }, { client: this.#trx }) as any
  }

  /**
   * Runs `work` in a savepoint: when the database refuses one of its
   * statements (a constraint, a trigger), only `work` is undone and the
   * request's transaction stays usable for the calm answer that follows.
   */
  async attempt<T>(work: () => Promise<T>): Promise<T> {
    await this.#trx.rawQuery('savepoint portal_attempt')
    try {
      const result = await work()
      await this.#trx.rawQuery('release savepoint portal_attempt')
      return result
    } catch (error) {
      await this.#trx.rawQuery('rollback to savepoint portal_attempt')
      throw error
    }
  }

  /** Ends the transaction now (a download streams the file with no transaction held). */
  async commit() {
    if (!this.#trx.isCompleted) await this.#trx.commit()
  }

  /** Ends the transaction at the end of the request: kept only if the request succeeded. */
  async close({ failed }: { failed: boolean }) {
    if (this.#trx.isCompleted) return
    await (failed ? this.#trx.rollback() : this.#trx.commit())
  }

  get forViews(): PortalView {
    return new PortalViewData(
      this.account,
      this.client,
      this.clients,
      this.link.relationship,
      () => this.discreetMode(),
      { resources: this.allows('resources'), contact: this.allows('contact') }
    )
  }

  /** Makes this context the request's `ctx.portal` (its views' `portal`). */
  attachTo(ctx: HttpContext) {
    opened.set(ctx, this)
    ctx.view.share({ portal: this.forViews })
  }
}

/**
 * The door to a client's data for an emailed action link sent to the
 * client's own email because the client has no portal account (DESIGN §17):
 * the same RLS transaction as a PortalContext (portal role, the client's id),
 * with no account behind it. Opened only while the client is active, an
 * adult, and the address is still the client's email on file.
 */
export class AddresseeContext {
  readonly #trx: TransactionClientContract

  private constructor(
    readonly client: Client,
    trx: TransactionClientContract
  ) {
    this.#trx = trx
  }

  static async openFor(clientId: number, email: string) {
    // The client's own address: the client themself, so the level of a client's own link.
    const trx = await beginClientTransaction(clientId, 'full')
    const client = await Client.query({ client: trx }).where('clients.id', clientId).first()
    const live =
      client !== null &&
      client.status === 'active' &&
      client.isAdultOn(practiceToday()) &&
      (client.email ?? '').toLowerCase() === email.toLowerCase()
    if (!live) {
      await trx.rollback()
      return null
    }
    return new AddresseeContext(client, trx)
  }

  query<Name extends ClientDataName>(name: Name): ModelQueryBuilderContract<ClientData[Name], InstanceType<ClientData[Name]>> {
    const model: ClientDataModel = CLIENT_DATA[name]
    return model.query({ client: this.#trx }).withScopes((scopes: any) => scopes.forClient(this.client.id)) as any
  }

  async close({ failed }: { failed: boolean }) {
    if (this.#trx.isCompleted) return
    await (failed ? this.#trx.rollback() : this.#trx.commit())
  }
}

/** What an action link's page reads client data through: a signed-in account's context, or an addressee's. */
export type ClientScope = Pick<PortalContext, 'client' | 'query' | 'close'>

/** A new session opens on the person this account chose last (kept on the link), else the first. */
function lastViewedOrFirst(clients: AccessibleClient[]) {
  let chosen = clients[0]
  for (const candidate of clients) {
    const viewedAt = candidate.link.lastViewedAt
    if (viewedAt && (!chosen.link.lastViewedAt || viewedAt > chosen.link.lastViewedAt)) chosen = candidate
  }
  return chosen
}

/*
| `ctx.portal` exists only where a PortalContext was opened: anywhere else
| reading it is a programming error, and fails loudly rather than letting
| code fall back to unscoped queries.
*/
const opened = new WeakMap<HttpContext, PortalContext>()

HttpContext.getter('portal', function (this: HttpContext) {
  const portal = opened.get(this)
  if (!portal) throw new Error(`No PortalContext on ${this.route?.pattern ?? this.request.url()}: the route needs middleware.portalContext()`)
  return portal
})

declare module '@adonisjs/core/http' {
  interface HttpContext {
    /** The PortalContext of a protected portal request (see app/portal/portal_context.ts). */
    readonly portal: PortalContext
  }
}
