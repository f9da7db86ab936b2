import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import { PortalAccountProblem } from '#actions/portal_accounts/portal_account_problem'
import { disablePortalAccount } from '#actions/portal_accounts/disable_portal_account'
import { enablePortalAccount } from '#actions/portal_accounts/enable_portal_account'
import { endPortalLink } from '#actions/portal_accounts/end_portal_link'
import { actorOf } from '#services/request_actor'

/*
| Portal Settings: switching a portal account off and on, and ending one
| link between an account and a client. Shared with `node ace portal:disable`.
*/
export default class PortalAccountsController {
  async disable(ctx: HttpContext) {
    return act(ctx, async () => {
      await disablePortalAccount(Number(ctx.params.id), actorOf(ctx))
      return 'The portal account is disabled, and any open session of it has ended.'
    })
  }

  async enable(ctx: HttpContext) {
    return act(ctx, async () => {
      await enablePortalAccount(Number(ctx.params.id), actorOf(ctx))
      return 'The portal account can sign in again.'
    })
  }

  async endLink(ctx: HttpContext) {
    return act(ctx, async () => {
      await endPortalLink(Number(ctx.params.id), actorOf(ctx))
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
  return ctx.response.redirect(`${urlFor('staff.portal_settings.index')}#accounts`)
}
