import type { HttpContext } from '@adonisjs/core/http'
import { staffResets } from '#actions/password_resets/reset_sides'
import { requestPasswordReset } from '#actions/password_resets/request_password_reset'
import { resetLinkWorks, resetPassword } from '#actions/password_resets/reset_password'
import { renderStaffLinkInvalid } from '#services/link_invalid_pages'
import { actorOf } from '#services/request_actor'
import { choosePasswordValidator, forgotPasswordValidator } from '#validators/portal_onboarding'
import { PASSWORD_RULE_TEXT } from '#validators/password'

/*
| Staff password recovery at /forgot-password and /reset-password/:token,
| with the portal's rules: the same answer for every email, a link that
| works once for an hour, every session ended when it is used.
*/
export default class StaffPasswordResetsController {
  async create({ view }: HttpContext) {
    return view.render('pages/staff/password_resets/create')
  }

  async store(ctx: HttpContext) {
    const { request, response, view } = ctx
    const [invalid, input] = await request.tryValidateUsing(forgotPasswordValidator)
    if (invalid) {
      ctx.session.flashValidationErrors(invalid)
      return response.redirect().toRoute('staff.password_resets.create')
    }
    if (!(await requestPasswordReset(staffResets, input.email, actorOf(ctx)))) {
      response.status(429)
      return view.render('pages/errors/too_many_requests', { surface: 'staff' })
    }
    return response.redirect().toRoute('staff.password_resets.sent')
  }

  async sent({ view }: HttpContext) {
    return view.render('pages/staff/password_resets/sent')
  }

  async edit(ctx: HttpContext) {
    const token = String(ctx.params.token)
    if (!(await resetLinkWorks(staffResets, token))) return renderStaffLinkInvalid(ctx)
    return ctx.view.render('pages/staff/password_resets/edit', { token, passwordRuleText: PASSWORD_RULE_TEXT })
  }

  async update(ctx: HttpContext) {
    const { request, response, session, auth } = ctx
    const token = String(ctx.params.token)
    if (!(await resetLinkWorks(staffResets, token))) return renderStaffLinkInvalid(ctx)
    const [error, input] = await request.tryValidateUsing(choosePasswordValidator)
    if (error) {
      session.flashValidationErrors(error, false)
      return response.redirect().toRoute(staffResets.linkRoute, { token })
    }
    if (!(await resetPassword(staffResets, token, input.password, actorOf(ctx)))) return renderStaffLinkInvalid(ctx)
    // Every session of the account ended (new epoch); this browser starts afresh too.
    if (await auth.use('staff').check()) await auth.use('staff').logout()
    session.flash('success', 'Your password is changed. Please sign in with your new password.')
    return response.redirect().toRoute('staff.session.create')
  }
}
