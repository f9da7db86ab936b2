import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@vinejs/vine'
import ClientUser from '#models/client_user'
import { changeSignInEmailValidator } from '#validators/portal_account'
import { fieldError, type ValidationError } from '#validators/field_error'
import { portalMessages } from '#validators/portal_messages'
import { auditPortal } from '#services/audit'
import { requestEmailChange } from '#actions/sign_in_email/request_email_change'
import { confirmEmailChange, pendingEmailChange } from '#actions/sign_in_email/confirm_email_change'
import { renderPortalLinkInvalid as renderLinkInvalid } from '#services/link_invalid_pages'
import { actorOf } from '#services/request_actor'

/*
| A new sign-in email for the portal account. Account machinery: it runs as
| the app role, outside the request's client transaction. Nothing changes
| until the person confirms from the link sent to the new address
| (app/actions/sign_in_email/).
*/
export default class SignInEmailController {
  async update(ctx: HttpContext) {
    const { request, response, session, portal } = ctx
    const account = portal.account

    let newEmail: string
    try {
      ;({ newEmail } = await request.validateUsing(changeSignInEmailValidator, {
        meta: { account },
        messagesProvider: portalMessages(ctx),
      }))
    } catch (error) {
      if (!(error instanceof errors.E_VALIDATION_ERROR)) throw error
      return sendBack(ctx, error)
    }

    // Checked only now, after the current password: no lookups for someone who lacks it.
    const problem = await whyUnusable(newEmail, account)
    if (problem) {
      return sendBack(ctx, fieldError('newEmail', ctx.i18n.t(`validator.custom.${problem}`), 'usable'))
    }

    // Discreet mode as the client on screen has it: a portal request reads client data only in its RLS transaction.
    const record = await requestEmailChange(account, newEmail, { discreet: await portal.discreetMode() })
    await auditPortal(ctx, 'portal.sign_in_email.change_requested', { tokenId: record.id })
    session.flash('success', ctx.i18n.t('portal.sign_in_email.check_your_email'))
    return response.redirect().toRoute('portal.account.show')
  }

  /** The link from the confirmation email. Opening it spends nothing (mail scanners open links). */
  async confirmation(ctx: HttpContext) {
    const token = String(ctx.params.token)
    const newEmail = await pendingEmailChange(token)
    if (!newEmail) return renderLinkInvalid(ctx)
    return ctx.view.render('pages/portal/account/confirm_email', { token, newEmail })
  }

  async confirm(ctx: HttpContext) {
    const { response, session, auth, view } = ctx
    const outcome = await confirmEmailChange(String(ctx.params.token), actorOf(ctx))
    if (!outcome.changed && outcome.reason === 'link') return renderLinkInvalid(ctx)
    if (!outcome.changed) {
      response.status(409)
      return view.render('pages/portal/account/email_unavailable')
    }

    // Every session of the account ended (new epoch); this browser signs in afresh too.
    if (await auth.use('client_users').check()) await auth.use('client_users').logout()
    session.flash('success', ctx.i18n.t('public.confirm_email.done', { email: outcome.email }))
    return response.redirect().toRoute('portal.session.create')
  }
}

/** Why this email cannot become the account's sign-in email (its message's key), or null when it can. */
async function whyUnusable(email: string, account: ClientUser) {
  if (email === account.email) return 'sign_in_email_same'
  const otherAccount = await ClientUser.query().where('email', email).whereNot('id', account.id).first()
  // Neutral words: the page does not say that another account exists.
  if (otherAccount) return 'sign_in_email_unusable'
  return null
}

/** Back to the form with its errors; only the new email is kept, never a password. */
function sendBack({ session, response }: HttpContext, error: ValidationError) {
  session.flashValidationErrors(error, false)
  session.flashOnly(['_form', 'newEmail'])
  return response.redirect().toRoute('portal.account.show')
}
