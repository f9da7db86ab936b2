import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import { errors } from '@vinejs/vine'
import { InvitationProblem } from '#actions/invitations/invitation_rules'
import { resendInvitation } from '#actions/invitations/resend_invitation'
import { revokeInvitation } from '#actions/invitations/revoke_invitation'
import { sendInvitation } from '#actions/invitations/send_invitation'
import { actorOf } from '#services/request_actor'
import { sendInvitationValidator } from '#validators/portal_settings'

/*
| Portal Settings: invite, resend, revoke. The rules live in
| app/actions/invitations/, shared with `node ace portal:invite`.
*/
export default class PortalInvitationsController {
  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    const [invalid, input] = await request.tryValidateUsing(sendInvitationValidator)
    if (invalid) {
      session.flashValidationErrors(invalid)
      return response.redirect(`${urlFor('staff.portal_settings.index')}#invite`)
    }
    try {
      const invitation = await sendInvitation(input, actorOf(ctx))
      session.flash('success', `The invitation is on its way to ${invitation.email}.`)
    } catch (error) {
      if (!(error instanceof InvitationProblem)) throw error
      session.flashValidationErrors(
        new errors.E_VALIDATION_ERROR([{ field: error.field, message: error.message, rule: 'invitable' }])
      )
    }
    return response.redirect(`${urlFor('staff.portal_settings.index')}#invite`)
  }

  async resend(ctx: HttpContext) {
    return act(ctx, async () => {
      const invitation = await resendInvitation(Number(ctx.params.id), actorOf(ctx))
      return `A new link is on its way to ${invitation.email}. The earlier link no longer works.`
    })
  }

  async revoke(ctx: HttpContext) {
    return act(ctx, async () => {
      await revokeInvitation(Number(ctx.params.id), actorOf(ctx))
      return 'The invitation is revoked. Its link no longer works.'
    })
  }
}

/** Runs an action on one invitation and says how it went. */
async function act(ctx: HttpContext, action: () => Promise<string>) {
  try {
    ctx.session.flash('success', await action())
  } catch (error) {
    if (!(error instanceof InvitationProblem)) throw error
    ctx.session.flash('notice', error.message)
  }
  return ctx.response.redirect(`${urlFor('staff.portal_settings.index')}#invitations`)
}
