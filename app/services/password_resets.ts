import type { HttpContext } from '@adonisjs/core/http'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import env from '#start/env'
import practice from '#config/practice'
import ClientUser from '#models/client_user'
import OneTimeToken from '#models/one_time_token'
import { audit } from '#services/audit'
import { enqueueMail } from '#services/mail_queue'
import { appLink, newToken } from '#services/portal_invitations'

/*
| Portal password recovery. The answer to "send me a link" is the same
| whether or not the email has an account, and both cases do the same
| database work, so neither the page nor its timing tells who has one.
| Account machinery: the app role, the machinery pool.
*/

export const REQUESTS_PER_IP = { requests: 20, duration: '15 mins', blockDuration: '15 mins' } as const
/** A few links an hour per address: enough for a lost email, too few to flood an inbox. */
export const REQUESTS_PER_EMAIL = { requests: 3, duration: '1 hour' } as const

export function resetExpiryMinutes() {
  return env.get('PASSWORD_RESET_EXPIRY_MINUTES') ?? 60
}

export const resetPath = (token: string) => `/portal/reset-password/${token}`

/** False when this IP has asked too often (the same for every email, so it reveals nothing). */
export async function consume(key: string, options: { requests: number; duration: string; blockDuration?: string }) {
  try {
    await limiter.use(options).consume(key)
    return true
  } catch (error) {
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) return false
    throw error
  }
}

/**
 * Sends a reset link if the email belongs to an account that may sign in
 * and has not asked too often. Returns false only when the IP is throttled.
 */
export async function requestPasswordReset(ctx: HttpContext, email: string) {
  if (!(await consume(`password_reset:ip:${ctx.request.ip()}`, REQUESTS_PER_IP))) return false
  const emailKey = createHash('sha256').update(email).digest('hex')
  const emailAllowed = await consume(`password_reset:email:${emailKey}`, REQUESTS_PER_EMAIL)

  const account = await ClientUser.findBy('email', email)
  const sendTo = account && account.status !== 'disabled' && emailAllowed ? account : null
  const { token, tokenHash } = newToken()

  await db.connection('machinery').transaction(async (trx) => {
    // Only the newest link works; for an unknown email this matches no row, at the same cost.
    await trx
      .from('one_time_tokens')
      .where({ client_user_id: account?.id ?? 0, purpose: 'password_reset' })
      .whereNull('used_at')
      .update({ used_at: db.raw('now()') })
    if (!sendTo) return
    await trx.insertQuery().table('one_time_tokens').insert({
      purpose: 'password_reset',
      client_user_id: sendTo.id,
      token_hash: tokenHash,
      expires_at: DateTime.now().plus({ minutes: resetExpiryMinutes() }).toSQL(),
    })
    await enqueueMail(
      {
        template: 'password_reset',
        to: sendTo.email,
        subject: `Reset your ${practice.name} portal password`,
        data: { link: appLink(resetPath(token)), expiresInMinutes: resetExpiryMinutes() },
        clientId: null,
      },
      { client: trx }
    )
  })

  await audit(ctx, { action: 'portal.password_reset.requested', actorKind: 'anonymous' })
  return true
}

/** Whether a reset link still works. Reading spends nothing (mail scanners open links). */
export async function resetLinkWorks(token: string) {
  if (!token || token.length > 100) return false
  const found = await OneTimeToken.query()
    .withScopes((scopes) => scopes.usable())
    .where({ tokenHash: OneTimeToken.hashToken(token), purpose: 'password_reset' })
    .whereExists((accounts) => {
      accounts
        .from('client_users')
        .whereColumn('client_users.id', 'one_time_tokens.client_user_id')
        .whereNot('client_users.status', 'disabled')
    })
    .first()
  return found !== null
}

/**
 * Spends the link (one conditional UPDATE: of two submissions one wins),
 * sets the new password and ends every session of the account (the epoch
 * changes), with the "your password changed" email in the same transaction.
 * Null when the link no longer works.
 */
export async function resetPassword(ctx: HttpContext, token: string, password: string) {
  if (!token || token.length > 100) return null
  // Hashed before the transaction, so no row stays locked during scrypt.
  const passwordHash = await hash.use('scrypt').make(password)

  const accountId = await db.connection('machinery').transaction(async (trx) => {
    const spent = await trx.rawQuery(
      `update one_time_tokens set used_at = now()
        where token_hash = ? and purpose = 'password_reset' and used_at is null and expires_at > now()
        returning client_user_id`,
      [OneTimeToken.hashToken(token)]
    )
    const clientUserId = spent.rows[0]?.client_user_id
    if (!clientUserId) return null

    const updated = await trx.rawQuery(
      `update client_users
          set password = ?, session_epoch = session_epoch + 1, updated_at = now()
        where id = ? and status <> 'disabled'
        returning id, email`,
      [passwordHash, clientUserId]
    )
    const account = updated.rows[0] as { id: number; email: string } | undefined
    if (!account) return null
    await enqueueMail(
      {
        template: 'password_changed',
        to: account.email,
        subject: `Your ${practice.name} portal password was changed`,
        data: {},
        clientId: null,
      },
      { client: trx }
    )
    return Number(account.id)
  })
  if (!accountId) return null

  await audit(ctx, { action: 'portal.password_reset.completed', actorKind: 'client_user', actorId: accountId })
  return accountId
}
