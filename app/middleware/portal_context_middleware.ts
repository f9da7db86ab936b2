import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { PortalContext } from '#portal/portal_context'
import { audit, auditPortal } from '#services/audit'

/*
| Layers 1 and 3 of portal isolation (DESIGN §5), on every protected page:
| opens the request's PortalContext (the active client, re-checked against
| the account's live links, and the RLS transaction switched to that
| client), and closes it after the page is rendered: committed on success,
| rolled back on any error.
*/
export default class PortalContextMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const account = ctx.auth.use('client_users').getUserOrFail()
    const choice = await PortalContext.choose(account, ctx.session)

    if (!choice.chosen) {
      // The chosen client's access ended (or there is none): say so calmly, once.
      await audit(ctx, {
        action: 'portal.access.ended',
        actorKind: 'client_user',
        actorId: account.id,
        clientId: choice.requestedClientId,
        detail: { remainingClients: choice.clients.length },
      })
      ctx.response.status(403)
      return ctx.response.send(await ctx.view.render('pages/portal/access_ended'))
    }

    const portal = await PortalContext.open(account, choice)
    portal.attachTo(ctx)
    try {
      await next()
    } finally {
      // The route's errors are already turned into responses here, so the
      // status tells success from failure.
      await portal.close({ failed: ctx.response.getStatus() >= 400 })
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
