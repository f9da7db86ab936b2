import type { HttpContext } from '@adonisjs/core/http'
import {
  PortalAccountProblem,
  disablePortalAccount,
  enablePortalAccount,
  endPortalLink,
} from '#services/portal_accounts'
import { staffActor } from '#controllers/staff/portal_invitations_controller'

/*
| Portal Settings: switching a portal account off and on, and ending one
| link between an account and a client. Shared with `node ace portal:disable`.
*/
export default class PortalAccountsController {
  async disable(ctx: HttpContext) {
    return act(ctx, async () => {
      await disablePortalAccount(Number(ctx.params.id), staffActor(ctx))
      return 'The portal account is disabled, and any open session of it has ended.'
    })
  }

  async enable(ctx: HttpContext) {
    return act(ctx, async () => {
      await enablePortalAccount(Number(ctx.params.id), staffActor(ctx))
      return 'The portal account can sign in again.'
    })
  }

  async endLink(ctx: HttpContext) {
    return act(ctx, async () => {
      await endPortalLink(Number(ctx.params.id), staffActor(ctx))
      return 'The link has ended. That account no longer sees this client.'
    })
  }
}

async function act(ctx: HttpContext, action: () => Promise<string>) {
  try {
    ctx.session.flash('success', await action())
  } catch (error) {
    if (!(error instanceof PortalAccountProblem)) throw error
    ctx.session.flash('notice', error.message)
  }
  return ctx.response.redirect('/portal-settings#accounts')
}
