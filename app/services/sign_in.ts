import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import StaffUser from '#models/staff_user'
import ClientUser from '#models/client_user'
import { signInValidator } from '#validators/auth'
import { portalSignInMessages } from '#validators/portal_messages'
import { audit } from '#services/audit'
import { guardSessionKey, startSignedInSession } from '#services/signed_in_session'
import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { createHash } from 'node:crypto'
import signInConfig from '#config/sign_in'

/*
| One message for every failed sign-in, whatever the reason (unknown email,
| wrong password, account that may not sign in), so the page tells nobody
| which emails have accounts. These are the staff's words; the portal's are
| public.sign_in.failed / .paused in resources/lang (portalSide.words).
*/
export const signInFailedMessage =
  'That email and password did not match an account that can sign in. Please check them and try again.'

export const signInPausedMessage =
  'For your safety, signing in is paused for a while after several attempts. Please try again later, or call the practice if you need help.'

/**
 * Counts this attempt against the submitted email and the client's IP,
 * atomically in the database. False when either limit is reached: the
 * account (or the email, known or not) is locked for a while.
 */
async function mayAttempt(ctx: HttpContext, side: string, email: string) {
  const perIp = limiter.use({ requests: signInConfig.maxPerIpPerMinute, duration: '1 min', blockDuration: '5 mins' })
  try {
    await perIp.consume(`sign_in:${side}:ip:${ctx.request.ip()}`)
    await attemptsPerEmail().consume(emailKey(side, email))
    return true
  } catch (error) {
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) return false
    throw error
  }
}

function attemptsPerEmail() {
  const window = `${signInConfig.lockoutMinutes} mins`
  return limiter.use({ requests: signInConfig.maxFailures, duration: window, blockDuration: window })
}

/** The limiter key of an email: a hash, so the table holds no email addresses. */
function emailKey(side: string, email: string) {
  return `sign_in:${side}:email:${createHash('sha256').update(email).digest('hex')}`
}

interface Side<Account extends StaffUser | ClientUser> {
  guard: 'staff' | 'client_users'
  otherGuard: 'staff' | 'client_users'
  verify: (email: string, password: string) => Promise<Account>
  /** The account an email belongs to, if any: failed attempts are recorded against it. */
  find: (email: string) => Promise<Account | null>
  mayContinue: (account: Account) => boolean
  actorKind: 'staff' | 'client_user'
  auditPrefix: 'staff' | 'portal'
  /** True when the password alone must not sign this account in (staff with two-factor sign-in). */
  needsSecondFactor?: (account: Account) => boolean
  /** The form's words in the request's language (the portal's); the staff's are the English above. */
  words?: (ctx: HttpContext) => { failed: string; paused: string; messagesProvider: ReturnType<typeof portalSignInMessages> }
}

export const staffSide: Side<StaffUser> = {
  guard: 'staff',
  otherGuard: 'client_users',
  verify: (email, password) => StaffUser.verifyCredentials(email, password),
  find: (email) => StaffUser.findBy('email', email),
  mayContinue: (staff) => staff.isActive,
  actorKind: 'staff',
  auditPrefix: 'staff',
  needsSecondFactor: (staff) => staff.hasTwoFactor,
}

export const portalSide: Side<ClientUser> = {
  guard: 'client_users',
  otherGuard: 'staff',
  verify: (email, password) => ClientUser.verifyCredentials(email, password),
  find: (email) => ClientUser.findBy('email', email),
  mayContinue: (account) => account.status !== 'disabled',
  actorKind: 'client_user',
  auditPrefix: 'portal',
  words: (ctx) => ({
    failed: ctx.i18n.t('public.sign_in.failed'),
    paused: ctx.i18n.t('public.sign_in.paused'),
    messagesProvider: portalSignInMessages(ctx),
  }),
}

/**
 * Verifies the submitted credentials and signs the account in: a new session
 * id (no fixation), the account's session epoch and activity clock stored, an
 * audit event either way. An account with two-factor sign-in is not signed in
 * yet: `pendingSecondFactor(ctx)` then names it, and the caller asks for the
 * code. Returns null after flashing the generic error.
 * Unknown emails still cost a hash check (verifyCredentials does a dummy one).
 */
export async function signIn<Account extends StaffUser | ClientUser>(
  ctx: HttpContext,
  side: Side<Account>
): Promise<Account | null> {
  const words = side.words?.(ctx) ?? { failed: signInFailedMessage, paused: signInPausedMessage, messagesProvider: undefined }
  const { email, password } = await ctx.request.validateUsing(signInValidator, { messagesProvider: words.messagesProvider })

  if (!(await mayAttempt(ctx, side.auditPrefix, email))) {
    await audit(ctx, { action: `${side.auditPrefix}.sign_in_throttled`, actorKind: 'anonymous' })
    ctx.session.flashOnly(['email'])
    ctx.session.flash('errors', { signIn: words.paused })
    return null
  }

  const account = await side.verify(email, password).catch(() => null)
  if (!account || !side.mayContinue(account)) {
    const attempted = account ?? (await side.find(email))
    await audit(ctx, {
      action: `${side.auditPrefix}.sign_in_failed`,
      actorKind: attempted ? side.actorKind : 'anonymous',
      actorId: attempted?.id,
    })
    ctx.session.flashOnly(['email'])
    ctx.session.flash('errors', { signIn: words.failed })
    return null
  }

  // A successful sign-in clears the email's failure count.
  await attemptsPerEmail().delete(emailKey(side.auditPrefix, email))

  /*
  | Two-factor sign-in: the password was right, but nobody is signed in yet.
  | The session (a new id) only remembers who passed the first step, for a
  | few minutes; /login/two-factor signs them in after a valid code.
  */
  if (side.needsSecondFactor?.(account)) {
    ctx.session.regenerate()
    ctx.session.forget(guardSessionKey(side.otherGuard))
    ctx.session.put(PENDING_SECOND_FACTOR_KEY, { staffId: account.id, until: Date.now() + SECOND_FACTOR_MINUTES * 60_000 })
    return account
  }
  await completeSignIn(ctx, side, account)
  return account
}

/** The session key of a staff sign-in waiting for its second step. */
export const PENDING_SECOND_FACTOR_KEY = 'staff_pending_second_factor'
const SECOND_FACTOR_MINUTES = 5

/** Who passed the password step in this session and has not yet given a code (null when expired). */
export function pendingSecondFactor(ctx: HttpContext): number | null {
  const pending = ctx.session.get(PENDING_SECOND_FACTOR_KEY) as { staffId: number; until: number } | undefined
  if (!pending || pending.until < Date.now()) return null
  return Number(pending.staffId)
}

/**
 * The sign-in itself, once every step passed: a new session id (no
 * fixation), the account's session epoch and activity clock, the audit event.
 */
export async function completeSignIn<Account extends StaffUser | ClientUser>(
  ctx: HttpContext,
  side: Side<Account>,
  account: Account,
  detail?: Record<string, string>
) {
  ctx.session.forget(PENDING_SECOND_FACTOR_KEY)
  ctx.session.forget(guardSessionKey(side.otherGuard))
  await ctx.auth.use(side.guard).login(account as any)
  startSignedInSession(ctx, side.guard, account)
  account.lastSignInAt = DateTime.now()
  await account.save()
  await audit(ctx, {
    action: `${side.auditPrefix}.sign_in`,
    actorKind: side.actorKind,
    actorId: account.id,
    detail,
  })
}

/** Signs the side's account out and clears the whole session (a shared computer). */
export async function signOut(ctx: HttpContext, side: Side<StaffUser> | Side<ClientUser>) {
  const account = ctx.auth.use(side.guard).user
  await ctx.auth.use(side.guard).logout()
  ctx.session.clear()
  if (account) {
    await audit(ctx, {
      action: `${side.auditPrefix}.sign_out`,
      actorKind: side.actorKind,
      actorId: account.id,
    })
  }
}
