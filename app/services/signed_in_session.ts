import type { HttpContext } from '@adonisjs/core/http'

/*
| What a signed-in session holds besides the guard's own user id: the
| account's session epoch and the idle clock (read on every request by
| app/middleware/signed_in_middleware.ts), and the keys under which each
| guard keeps its user id.
*/
export type GuardName = 'staff' | 'client_users'

export interface SessionAccount {
  id: number
  sessionEpoch: number
}

/**
 * The session key where a guard keeps its user id: `auth_<guard>`, as the
 * session guard of @adonisjs/auth names it (`guard.sessionKeyName`). Read
 * here so middleware that runs before auth is initialised (the upload
 * gate) can check it too.
 */
export function guardSessionKey(guard: GuardName) {
  return `auth_${guard}`
}

export function epochKey(guard: GuardName) {
  return `${guard}_epoch`
}

export function lastSeenKey(guard: GuardName) {
  return `${guard}_last_seen`
}

/** When the session was signed in and with which browser (the account's own list of open sessions). */
export function signedInKey(guard: GuardName) {
  return `${guard}_signed_in`
}

export interface SignedInStamp {
  at: number
  userAgent: string | null
}

/** Called right after a successful sign-in, in the same request. */
export function startSignedInSession(ctx: HttpContext, guard: GuardName, account: SessionAccount) {
  ctx.session.put(epochKey(guard), account.sessionEpoch)
  ctx.session.put(lastSeenKey(guard), Date.now())
  const stamp: SignedInStamp = { at: Date.now(), userAgent: ctx.request.header('user-agent')?.slice(0, 512) ?? null }
  ctx.session.put(signedInKey(guard), stamp)
}
