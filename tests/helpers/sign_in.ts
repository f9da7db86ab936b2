import app from '@adonisjs/core/services/app'
import { Encryption } from '@adonisjs/core/encryption'
import { configProvider } from '@adonisjs/core'
import { CookieClient } from '@adonisjs/core/http'
import type { ResolvedSessionConfig, SessionStoreContract } from '@adonisjs/session/types'
import { DateTime } from 'luxon'
import { randomUUID } from 'node:crypto'
import StaffUser from '#models/staff_user'
import type ClientUser from '#models/client_user'
import { epochKey, lastSeenKey } from '#services/signed_in_session'
import { PASSWORD } from '#database/factories/main'
import { nextTotpCode } from '#tests/helpers/two_factor'
import { WebSession } from '#tests/helpers/web'

/*
| Signing in for tests whose subject is something else:
|   const web = await signIn(await createStaff('clinician'))
| leaves the browser stand-in with the session a completed sign-in leaves
| (the guard's user id, the account's session epoch, the idle clock, a new
| session id, lastSignInAt), without the form, the password check or the
| two-factor step. Tests about signing in use signInThroughForm.
*/
let sessionStore: Promise<{ store: () => SessionStoreContract; cookieName: string }> | null = null

/** The app's own session store and cookie name, from config/session.ts. */
function appSessions() {
  sessionStore ??= configProvider.resolve<ResolvedSessionConfig>(app, app.config.get('session')).then((config) => ({
    store: () => config!.stores[config!.store](null as any, config!),
    cookieName: config!.cookieName,
  }))
  return sessionStore
}


export async function signIn(account: StaffUser | ClientUser) {
  const guard = account instanceof StaffUser ? 'staff' : 'client_users'
  const web = new WebSession()
  // The sign-in page, as a browser sees it first: it starts the session and its CSRF secret.
  await web.get(guard === 'staff' ? '/login' : '/portal/login')

  const { store, cookieName } = await appSessions()
  const sessions = store()
  const previousId = await sessionIdOf(web)
  const previous = previousId ? ((await sessions.read(previousId)) ?? {}) : {}

  // The guard's own session entry, as its test-client API gives it (auth_staff / auth_client_users).
  const auth = await app.container.make('auth.manager')
  const { session: guardEntry } = await auth.createAuthenticatorClient().use(guard).authenticateAsClient(account as any)

  // A new session id, as the real sign-in regenerates it.
  const sessionId = randomUUID()
  await sessions.write(sessionId, {
    ...previous,
    ...guardEntry,
    [epochKey(guard)]: account.sessionEpoch,
    [lastSeenKey(guard)]: Date.now(),
  })
  if (previousId) await store().destroy(previousId)
  const cookies = new CookieClient(await app.container.make(Encryption))
  web.cookies.set(cookieName, encodeURIComponent(cookies.sign(cookieName, sessionId)!))

  account.lastSignInAt = DateTime.now()
  await account.save()
  return web
}

/** The id of the browser stand-in's session (a row of the `sessions` table), from its signed cookie. */
export async function sessionIdOf(web: WebSession) {
  const { cookieName } = await appSessions()
  const cookie = web.cookies.get(cookieName)
  if (!cookie) return null
  const cookies = new CookieClient(await app.container.make(Encryption))
  return cookies.unsign(cookieName, decodeURIComponent(cookie)) as string | null
}

/** Signs in through the real sign-in form (and the code step, when enrolled). */
export async function signInThroughForm(account: StaffUser | ClientUser) {
  return account instanceof StaffUser ? staffThroughForm(account) : portalThroughForm(account)
}

async function staffThroughForm(staff: StaffUser) {
  const web = new WebSession()
  await web.get('/login')
  let response = await web.post('/login', { email: staff.email, password: PASSWORD })
  if (response.location === '/login/two-factor') response = await completeSecondFactor(web, staff)
  if (response.location !== '/dashboard') throw new Error(`Staff sign-in failed: ${response.status} ${response.location}`)
  return web
}

async function portalThroughForm(account: ClientUser) {
  const web = new WebSession()
  await web.get('/portal/login')
  const response = await web.post('/portal/login', { email: account.email, password: PASSWORD })
  if (response.location !== '/portal') throw new Error(`Portal sign-in failed: ${response.status}`)
  return web
}

/** The second sign-in step with a fresh code from the account's secret. */
export async function completeSecondFactor(web: WebSession, staff: StaffUser) {
  await web.get('/login/two-factor')
  return web.post('/login/two-factor', { code: await nextTotpCode(staff) })
}
