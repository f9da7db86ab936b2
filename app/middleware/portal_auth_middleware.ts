import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import practice from '#config/practice'
import type ClientUser from '#models/client_user'
import { SignedInMiddleware, type SignInNotice } from '#middleware/signed_in_middleware'
import { redirectTo } from '#services/navigation'
import { answerInLanguageOf } from '#services/request_locale'

/*
| Portal pages: the `client_users` guard, an account that is not disabled,
| a live session epoch, the 15-minute idle rule. `stage: 'onboarding'`
| admits accounts that have not finished onboarding; every other portal page
| needs an active account.
*/
export default class PortalAuthMiddleware extends SignedInMiddleware<ClientUser> {
  protected guardName = 'client_users' as const
  protected signInPath = '/portal/login'

  protected idleMinutes() {
    return practice.portalIdleMinutes
  }

  protected mayContinue(account: ClientUser) {
    return account.status !== 'disabled'
  }

  /** In the language the sign-in page will be shown in (the visitor's: nobody is signed in any more). */
  protected notice(ctx: HttpContext, reason: SignInNotice) {
    if (reason === 'sign_in') return ctx.i18n.t('public.sign_in.please_sign_in')
    if (reason === 'idle') return ctx.i18n.t('public.sign_in.idle_signed_out', { minutes: this.idleMinutes() })
    return ctx.i18n.t('public.sign_in.session_ended')
  }

  handle(ctx: HttpContext, next: NextFn, options: { stage?: 'onboarding' | 'active' } = {}) {
    const stage = options.stage ?? 'active'
    return this.authenticate(ctx, next, (account) => {
      if (stage === 'active' && account.status === 'onboarding') {
        redirectTo(ctx, '/portal/onboarding')
        return false
      }
      answerInLanguageOf(ctx, account)
      ctx.view.share({ currentAccount: account })
    })
  }
}
