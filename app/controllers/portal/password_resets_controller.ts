import type { HttpContext } from '@adonisjs/core/http'
import { portalResets } from '#actions/password_resets/reset_sides'
import { requestPasswordReset } from '#actions/password_resets/request_password_reset'
import { resetLinkWorks, resetPassword } from '#actions/password_resets/reset_password'
import { renderPortalLinkInvalid as renderLinkInvalid } from '#services/link_invalid_pages'
import { actorOf } from '#services/request_actor'
import { choosePasswordValidator, forgotPasswordValidator } from '#validators/portal_onboarding'
import { portalMessages } from '#validators/portal_messages'

/*
| Portal password recovery: ask for a link (the answer never says whether
| the email has an account), then choose a new password from the link.
*/
export default class PasswordResetsController {
  async create({ view }: HttpContext) {
    return view.render('pages/portal/password_resets/create')
  }

  async store(ctx: HttpContext) {
    const { request, response, view } = ctx
    const [invalid, input] = await request.tryValidateUsing(forgotPasswordValidator, { messagesProvider: portalMessages(ctx) })
    if (invalid) {
      ctx.session.flashValidationErrors(invalid)
      return response.redirect().toRoute('portal.password_resets.create')
    }
    if (!(await requestPasswordReset(portalResets, input.email, actorOf(ctx)))) {
      response.status(429)
      return view.render('pages/errors/too_many_requests', { surface: 'portal' })
    }
    return response.redirect().toRoute('portal.password_resets.sent')
  }

  /** The same answer for every email. */
  async sent({ view }: HttpContext) {
    return view.render('pages/portal/password_resets/sent')
  }

  async edit(ctx: HttpContext) {
    const token = String(ctx.params.token)
    if (!(await resetLinkWorks(portalResets, token))) return renderLinkInvalid(ctx)
    return ctx.view.render('pages/portal/password_resets/edit', { token })
  }

  async update(ctx: HttpContext) {
    const { request, response, session, auth } = ctx
    const token = String(ctx.params.token)
    if (!(await resetLinkWorks(portalResets, token))) return renderLinkInvalid(ctx)

    const [error, input] = await request.tryValidateUsing(choosePasswordValidator, { messagesProvider: portalMessages(ctx) })
    if (error) {
      // Back to the form; no password is ever kept in the session.
      session.flashValidationErrors(error, false)
      return response.redirect().toRoute(portalResets.linkRoute, { token })
    }
    if (!(await resetPassword(portalResets, token, input.password, actorOf(ctx)))) return renderLinkInvalid(ctx)

    // Every session of the account ended (new epoch); this browser starts afresh too.
    if (await auth.use('client_users').check()) await auth.use('client_users').logout()
    session.flash('success', ctx.i18n.t('public.reset_password.done'))
    return response.redirect().toRoute('portal.session.create')
  }
}
