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
import StaffUser from '#models/staff_user'
import OneTimeToken from '#models/one_time_token'
import { audit } from '#services/audit'
import { enqueueMail } from '#services/mail_queue'
import { appLink, newToken } from '#services/portal_invitations'

/*
| Password recovery, the same on both sides. The answer to "send me a
| link" is the same whether or not the email has an account, and both cases
| do the same database work, so neither the page nor its timing tells who
| has one. The link is a hashed single-use token that works for an hour;
| using it ends every session of the account and sends a "your password
| was changed" email. Account machinery: the app role, the machinery pool.
*/

export const REQUESTS_PER_IP = { requests: 20, duration: '15 mins', blockDuration: '15 mins' } as const
/** A few links an hour per address: enough for a lost email, too few to flood an inbox. */
export const REQUESTS_PER_EMAIL = { requests: 3, duration: '1 hour' } as const

export function resetExpiryMinutes() {
  return env.get('PASSWORD_RESET_EXPIRY_MINUTES') ?? 60
}

/** What differs between the portal's accounts and the staff's. */
export interface ResetSide {
  name: 'portal' | 'staff'
  table: 'client_users' | 'staff_users'
  ownerColumn: 'client_user_id' | 'staff_user_id'
  /** SQL: the account may still sign in. */
  mayReset: string
  /** SQL run with the new password, beyond password and epoch. */
  extraUpdates: string
  actorKind: 'client_user' | 'staff'
  path: (token: string) => string
  findByEmail: (email: string) => Promise<{ id: number; email: string } | null>
}

export const portalResets: ResetSide = {
  name: 'portal',
  table: 'client_users',
  ownerColumn: 'client_user_id',
  mayReset: `status <> 'disabled'`,
  extraUpdates: '',
  actorKind: 'client_user',
  path: (token) => `/portal/reset-password/${token}`,
  findByEmail: async (email) => {
    const account = await ClientUser.findBy('email', email)
    return account && account.status !== 'disabled' ? account : null
  },
}

export const staffResets: ResetSide = {
  name: 'staff',
  table: 'staff_users',
  ownerColumn: 'staff_user_id',
  mayReset: 'is_active',
  // An invited staff member who resets instead of accepting has now chosen a password.
  extraUpdates: 'password_set_at = coalesce(password_set_at, now()),',
  actorKind: 'staff',
  path: (token) => `/reset-password/${token}`,
  findByEmail: async (email) => {
    const staff = await StaffUser.findBy('email', email)
    return staff && staff.isActive ? staff : null
  },
}

/** False when the key has been used up (the limiter counts it atomically in the database). */
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
 * and has not asked too often. Returns false only when the IP is throttled
 * (the same for every email, so it reveals nothing).
 */
export async function requestPasswordReset(ctx: HttpContext, side: ResetSide, email: string) {
  const keyPrefix = side.name === 'portal' ? 'password_reset' : 'staff_password_reset'
  if (!(await consume(`${keyPrefix}:ip:${ctx.request.ip()}`, REQUESTS_PER_IP))) return false
  const emailKey = createHash('sha256').update(email).digest('hex')
  const emailAllowed = await consume(`${keyPrefix}:email:${emailKey}`, REQUESTS_PER_EMAIL)

  const account = await side.findByEmail(email)
  const sendTo = emailAllowed ? account : null
  const { token, tokenHash } = newToken()

  await db.connection('machinery').transaction(async (trx) => {
    // Only the newest link works; for an unknown email this matches no row, at the same cost.
    await trx
      .from('one_time_tokens')
      .where({ [side.ownerColumn]: account?.id ?? 0, purpose: 'password_reset' })
      .whereNull('used_at')
      .update({ used_at: db.raw('now()') })
    if (!sendTo) return
    await trx.insertQuery().table('one_time_tokens').insert({
      purpose: 'password_reset',
      [side.ownerColumn]: sendTo.id,
      token_hash: tokenHash,
      expires_at: DateTime.now().plus({ minutes: resetExpiryMinutes() }).toSQL(),
    })
    await enqueueMail(
      {
        template: 'password_reset',
        to: sendTo.email,
        subject: `Reset your ${practice.name} ${side.name} password`,
        data: {
          link: appLink(side.path(token)),
          expiresInMinutes: resetExpiryMinutes(),
          ...(side.name === 'staff' ? { accountKind: 'staff' } : {}),
        },
        clientId: null,
      },
      { client: trx }
    )
  })

  await audit(ctx, { action: `${side.name}.password_reset.requested`, actorKind: 'anonymous' })
  return true
}

/** Whether a reset link still works. Reading spends nothing (mail scanners open links). */
export async function resetLinkWorks(side: ResetSide, token: string) {
  if (!token || token.length > 100) return false
  const found = await OneTimeToken.query()
    .withScopes((scopes) => {
      scopes.usable()
      scopes.carriedBy(token, 'password_reset')
    })
    .whereExists((accounts) => {
      accounts
        .from(side.table)
        .whereColumn(`${side.table}.id`, `one_time_tokens.${side.ownerColumn}`)
        .whereRaw(side.mayReset)
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
export async function resetPassword(ctx: HttpContext, side: ResetSide, token: string, password: string) {
  if (!token || token.length > 100) return null
  // Hashed before the transaction, so no row stays locked during scrypt.
  const passwordHash = await hash.use('scrypt').make(password)

  const accountId = await db.connection('machinery').transaction(async (trx) => {
    // Only a token of this side's accounts is spent here.
    const spent = await trx.rawQuery(
      `update one_time_tokens set used_at = now()
        where token_hash = ? and purpose = 'password_reset' and ${side.ownerColumn} is not null
          and used_at is null and expires_at > now()
        returning ${side.ownerColumn} as owner_id`,
      [OneTimeToken.hashToken(token)]
    )
    const ownerId = spent.rows[0]?.owner_id
    if (!ownerId) return null

    const updated = await trx.rawQuery(
      `update ${side.table}
          set password = ?, ${side.extraUpdates} session_epoch = session_epoch + 1, updated_at = now()
        where id = ? and ${side.mayReset}
        returning id, email`,
      [passwordHash, ownerId]
    )
    const account = updated.rows[0] as { id: number; email: string } | undefined
    if (!account) return null
    await enqueueMail(
      {
        template: 'password_changed',
        to: account.email,
        subject: `Your ${practice.name} ${side.name} password was changed`,
        data: side.name === 'staff' ? { accountKind: 'staff' } : {},
        clientId: null,
      },
      { client: trx }
    )
    return Number(account.id)
  })
  if (!accountId) return null

  await audit(ctx, { action: `${side.name}.password_reset.completed`, actorKind: side.actorKind, actorId: accountId })
  return accountId
}
