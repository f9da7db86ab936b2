import type { HttpContext } from '@adonisjs/core/http'
import { acceptStaffInvitation, usableStaffInvitation } from '#actions/staff_accounts/accept_staff_invitation'
import { renderStaffLinkInvalid } from '#services/link_invalid_pages'
import { actorOf } from '#services/request_actor'
import { choosePasswordValidator } from '#validators/portal_onboarding'
import { PASSWORD_RULE_TEXT } from '#validators/password'

/*
| The link in a staff invitation: /staff/invitations/:token. GET shows the
| "choose your password" form and spends nothing (mail scanners open
| links); POST spends the link. Then the person signs in (and, as a ceo or
| admin, sets up two-factor sign-in).
*/
export default class StaffInvitationsController {
  async show(ctx: HttpContext) {
    const token = String(ctx.params.token)
    const staff = await usableStaffInvitation(token)
    if (!staff) return renderStaffLinkInvalid(ctx)
    return ctx.view.render('pages/staff/invitations/show', {
      token,
      name: staff.name,
      email: staff.email,
      passwordRuleText: PASSWORD_RULE_TEXT,
    })
  }

  async accept(ctx: HttpContext) {
    const { request, response, session } = ctx
    const token = String(ctx.params.token)
    if (!(await usableStaffInvitation(token))) return renderStaffLinkInvalid(ctx)
    const [error, input] = await request.tryValidateUsing(choosePasswordValidator)
    if (error) {
      session.flashValidationErrors(error, false)
      return response.redirect().toRoute('staff.invitations.show', { token })
    }
    if (!(await acceptStaffInvitation(token, input.password, actorOf(ctx)))) return renderStaffLinkInvalid(ctx)
    session.flash('success', 'Your password is set. Please sign in.')
    return response.redirect().toRoute('staff.session.create')
  }
}
