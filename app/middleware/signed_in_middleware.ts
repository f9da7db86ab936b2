import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { redirectTo } from '#services/navigation'
import { epochKey, lastSeenKey, type SessionAccount } from '#services/signed_in_session'

const LAST_SEEN_STEP_MS = 60_000

/** Why a request was sent to the sign-in page: not signed in, idle too long, or the session ended. */
export type SignInNotice = 'sign_in' | 'idle' | 'ended'

/*
| What both sides check on every signed-in request, beyond the guard's own
| "is there a user id in the session":
| - the account may still sign in (active staff, portal account not disabled);
| - its session epoch still matches the one stored at sign-in, so bumping
|   the epoch ends every open session of that account at once;
| - the session has not been idle for longer than the side allows (HIPAA
|   automatic log-off).
*/
export abstract class SignedInMiddleware<Account extends SessionAccount> {
  protected abstract guardName: 'staff' | 'client_users'
  protected abstract signInPath: string
  protected abstract idleMinutes(): number
  protected abstract mayContinue(account: Account): boolean

  /** The notice shown on the sign-in page after the redirect; the portal's override says it in the visitor's language. */
  protected notice(_ctx: HttpContext, reason: SignInNotice) {
    if (reason === 'sign_in') return 'Please sign in to continue.'
    if (reason === 'idle') {
      return `For your privacy you were signed out after ${this.idleMinutes()} minutes without activity. Please sign in again.`
    }
    return 'Your session has ended. Please sign in again.'
  }

  /** `onSignedIn` may answer the request itself by returning false. */
  protected async authenticate(
    ctx: HttpContext,
    next: NextFn,
    onSignedIn: (account: Account) => boolean | void
  ) {
    const guard = ctx.auth.use(this.guardName)
    const account = (await guard.check()) ? (guard.user as unknown as Account) : null

    if (!account) {
      ctx.session.flash('notice', this.notice(ctx, 'sign_in'))
      return redirectTo(ctx, this.signInPath)
    }

    const now = Date.now()
    const storedLastSeen = ctx.session.get(lastSeenKey(this.guardName))
    const lastSeen = storedLastSeen === undefined ? now : Number(storedLastSeen)
    const idle = now - lastSeen > this.idleMinutes() * 60_000
    const epochMatches =
      ctx.session.get(epochKey(this.guardName)) === account.sessionEpoch

    if (idle || !epochMatches || !this.mayContinue(account)) {
      await guard.logout()
      ctx.session.forget(epochKey(this.guardName))
      ctx.session.forget(lastSeenKey(this.guardName))
      ctx.session.flash('notice', this.notice(ctx, idle ? 'idle' : 'ended'))
      return redirectTo(ctx, this.signInPath)
    }

    /*
    | The idle clock moves in steps of a minute, so most requests leave the
    | session unchanged and cost no session write. It can only err early: a
    | session may end up to a minute before the idle limit, never after it.
    */
    if (storedLastSeen === undefined || now - lastSeen >= LAST_SEEN_STEP_MS) {
      ctx.session.put(lastSeenKey(this.guardName), now)
    }
    if (onSignedIn(account) === false) return
    return next()
  }
}
