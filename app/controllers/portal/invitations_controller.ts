import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import ClientUser from '#models/client_user'
import PortalInvitation from '#models/portal_invitation'
import { acceptInvitation } from '#actions/invitations/accept_invitation'
import { renderPortalLinkInvalid } from '#services/link_invalid_pages'
import { actorOf } from '#services/request_actor'
import { epochKey, guardSessionKey, lastSeenKey, startSignedInSession } from '#services/signed_in_session'
import { choosePasswordValidator } from '#validators/portal_onboarding'
import { portalMessages } from '#validators/portal_messages'

/*
| The link in an invitation email: /portal/invitations/:token.
| GET only shows a page (mail scanners open links; nothing is spent). POST
| spends the link: a new account with the chosen password, or, for an email
| that has an account already, the signed-in account gains the client.
| Every link that no longer works gets the same page (no oracle).
*/
export default class InvitationsController {
  async show(ctx: HttpContext) {
    const token = String(ctx.params.token)
    const invitation = await PortalInvitation.findUsableByToken(token)
    if (!invitation) return renderPortalLinkInvalid(ctx)

    const signedIn = await signedInPortalAccount(ctx)
    const page = {
      token,
      invitation,
      personName: invitation.client.displayFirstName,
      forSomeoneElse: invitation.relationship !== 'self',
    }
    if (signedIn) {
      if (signedIn.email !== invitation.email) return renderSignInFirst(ctx, token, 'other_account')
      return ctx.view.render('pages/portal/invitations/add_client', page)
    }
    if (await ClientUser.findBy('email', invitation.email)) return renderSignInFirst(ctx, token, 'signed_out')
    return ctx.view.render('pages/portal/invitations/show', page)
  }

  async accept(ctx: HttpContext) {
    const { request, response, session, auth } = ctx
    const token = String(ctx.params.token)
    const signedIn = await signedInPortalAccount(ctx)

    if (signedIn) {
      const result = await acceptInvitation(token, { account: signedIn }, actorOf(ctx))
      if (result.outcome === 'invalid') return renderPortalLinkInvalid(ctx)
      if (result.outcome === 'sign_in_first') return renderSignInFirst(ctx, token, 'other_account')
      return response.redirect().toRoute('portal.onboarding.show')
    }

    // A link that no longer works says so before asking anything of the person.
    const invitation = await PortalInvitation.findUsableByToken(token)
    if (!invitation) return renderPortalLinkInvalid(ctx)
    if (await ClientUser.findBy('email', invitation.email)) return renderSignInFirst(ctx, token, 'signed_out')

    const [error, input] = await request.tryValidateUsing(choosePasswordValidator, { messagesProvider: portalMessages(ctx) })
    if (error) {
      // Back to the form; no password is ever kept in the session.
      session.flashValidationErrors(error, false)
      return response.redirect().toRoute('portal.invitations.show', { token })
    }

    const result = await acceptInvitation(token, { password: input.password }, actorOf(ctx))
    if (result.outcome === 'invalid') return renderPortalLinkInvalid(ctx)
    if (result.outcome === 'sign_in_first') return renderSignInFirst(ctx, token, 'signed_out')

    // The same session steps as a sign-in: new session id, epoch and activity clock.
    const account = result.account
    session.forget(guardSessionKey('staff'))
    await auth.use('client_users').login(account)
    startSignedInSession(ctx, 'client_users', account)
    account.lastSignInAt = DateTime.now()
    await account.save()
    return response.redirect().toRoute('portal.onboarding.verify_form')
  }
}

/**
 * The portal account signed in on this browser, checked as the portal's
 * middleware checks it (epoch, idle time, not disabled); these pages are
 * public, so the middleware does not run here.
 */
async function signedInPortalAccount(ctx: HttpContext): Promise<ClientUser | null> {
  const guard = ctx.auth.use('client_users')
  if (!(await guard.check())) return null
  const account = guard.user!
  const epochMatches = ctx.session.get(epochKey('client_users')) === account.sessionEpoch
  const lastSeen = Number(ctx.session.get(lastSeenKey('client_users'), 0))
  const idle = Date.now() - lastSeen > practice.portalIdleMinutes * 60_000
  return epochMatches && !idle && account.status !== 'disabled' ? account : null
}

function renderSignInFirst(ctx: HttpContext, token: string, reason: 'signed_out' | 'other_account') {
  const next = urlFor('portal.invitations.show', { token })
  return ctx.view.render('pages/portal/invitations/sign_in_first', {
    reason,
    signInUrl: `/portal/login?next=${encodeURIComponent(next)}`,
  })
}
