import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Client from '#models/client'
import type ClientUser from '#models/client_user'
import { accessibleClients, type AccessibleClient } from '#services/portal_access'
import { audit, auditPortal } from '#services/audit'
import { beginClientTransaction } from '#services/portal_transaction'

export const ACTIVE_CLIENT_KEY = 'portal_active_client_id'

/*
| Layers 1 and 3 of portal isolation (DESIGN §5), on every protected page:
|
| 1. Resolves the *active client* (the account's own client, or the one a
|    guardian chose) and re-checks it against the account's live links.
| 2. Opens the request's transaction, switched to the portal role with the
|    active client's id (both transaction-local, so a pooled connection never
|    keeps another client's identity). Every client-data query of the
|    request runs in `ctx.portal.trx`, with forClient() on top.
| 3. Commits after the page is rendered; rolls back on any error.
*/
export default class PortalContextMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const account = ctx.auth.use('client_users').getUserOrFail()
    const clients = await accessibleClients(account)

    const chosenId = Number(ctx.session.get(ACTIVE_CLIENT_KEY)) || null
    const chosen = chosenId ? clients.find(({ client }) => client.id === chosenId) : lastViewedOrFirst(clients)

    if (!chosen) {
      // The chosen client's access ended (or there is none): say so calmly, once.
      ctx.session.forget(ACTIVE_CLIENT_KEY)
      await audit(ctx, {
        action: 'portal.access.ended',
        actorKind: 'client_user',
        actorId: account.id,
        clientId: chosenId,
        detail: { remainingClients: clients.length },
      })
      ctx.response.status(403)
      return ctx.response.send(await ctx.view.render('pages/portal/access_ended'))
    }
    if (chosenId !== chosen.client.id) ctx.session.put(ACTIVE_CLIENT_KEY, chosen.client.id)

    const trx = await beginClientTransaction(chosen.client.id)
    ctx.portal = { account, client: chosen.client, link: chosen.link, clients, trx }
    ctx.view.share({ portal: ctx.portal })
    try {
      await next()
    } finally {
      // The route's errors are already turned into responses here, so the
      // status tells success from failure. A download commits early, before
      // streaming, so no transaction is held meanwhile.
      const failed = ctx.response.getStatus() >= 400
      if (!trx.isCompleted) await (failed ? trx.rollback() : trx.commit())
      if (ctx.response.getStatus() === 404 && ctx.params.id !== undefined) await auditRefused(ctx)
    }
  }
}

/** An unknown or foreign id answers 404 like any missing page, and is recorded. */
function auditRefused(ctx: HttpContext) {
  return auditPortal(ctx, 'portal.access.refused', {
    route: ctx.route?.name ?? null,
    id: String(ctx.params.id ?? ''),
  })
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    portal: {
      account: ClientUser
      /** The client whose information is on screen. */
      client: Client
      link: AccessibleClient['link']
      /** Everyone this account may act for (the guardian's switcher). */
      clients: AccessibleClient[]
      /** The request's RLS transaction: pass it to every client-data query. */
      trx: TransactionClientContract
    }
  }
}

/** A new session opens on the person this account chose last (kept on the link), else the first. */
function lastViewedOrFirst(clients: AccessibleClient[]) {
  let chosen = clients[0]
  for (const candidate of clients) {
    const viewedAt = candidate.link.lastViewedAt
    if (viewedAt && (!chosen.link.lastViewedAt || viewedAt > chosen.link.lastViewedAt)) chosen = candidate
  }
  return chosen
}
