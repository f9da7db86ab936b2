import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@vinejs/vine'
import { changePasswordValidator } from '#validators/portal_account'
import { portalMessages } from '#validators/portal_messages'
import { startSignedInSession } from '#services/signed_in_session'
import { auditPortal } from '#services/audit'

/*
| A new password for the portal account. Account machinery: it runs as the
| app role, outside the request's client transaction.
*/
export default class SignInPasswordController {
  async update(ctx: HttpContext) {
    const { request, response, session, portal } = ctx
    const account = portal.account

    let newPassword: string
    try {
      ;({ newPassword } = await request.validateUsing(changePasswordValidator, {
        meta: { account },
        messagesProvider: portalMessages(ctx),
      }))
    } catch (error) {
      if (!(error instanceof errors.E_VALIDATION_ERROR)) throw error
      // Back to the form with its errors; no password ever goes into the session.
      session.flashValidationErrors(error, false)
      session.flashOnly(['_form'])
      return response.redirect().toRoute('portal.account.show')
    }

    // One save: the new password (hashed by the model) and a new session
    // epoch, which ends every other open session of this account...
    account.password = newPassword
    await account.endAllSessions()
    // ...while this one carries on with the new epoch, under a new session id.
    session.regenerate()
    startSignedInSession(ctx, 'client_users', account)

    await auditPortal(ctx, 'portal.password.changed')
    session.flash('success', ctx.i18n.t('portal.password.changed'))
    return response.redirect().toRoute('portal.account.show')
  }
}
