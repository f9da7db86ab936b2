import type { HttpContext } from '@adonisjs/core/http'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import StaffUser from '#models/staff_user'
import OneTimeToken from '#models/one_time_token'
import { audit } from '#services/audit'
import { enqueueMail } from '#services/mail_queue'
import { appLink, newToken } from '#services/portal_invitations'
import { REQUESTS_PER_EMAIL, REQUESTS_PER_IP, consume, resetExpiryMinutes } from '#services/password_resets'

/*
| Staff password recovery, with the portal's rules (app/services/password_resets.ts):
| the same answer and the same database work for every email, a hashed
| single-use token that works for an hour, every session ended and a
| "your password was changed" email when it is used. Limits are counted
| apart from the portal's (keys start with `staff_`).
*/

export const staffResetPath = (token: string) => `/reset-password/${token}`

/** Sends a link when the email belongs to an active staff account. False only when the IP is throttled. */
export async function requestStaffPasswordReset(ctx: HttpContext, email: string) {
  if (!(await consume(`staff_password_reset:ip:${ctx.request.ip()}`, REQUESTS_PER_IP))) return false
  const emailKey = createHash('sha256').update(email).digest('hex')
  const emailAllowed = await consume(`staff_password_reset:email:${emailKey}`, REQUESTS_PER_EMAIL)

  const staff = await StaffUser.findBy('email', email)
  const sendTo = staff && staff.isActive && emailAllowed ? staff : null
  const { token, tokenHash } = newToken()

  await db.connection('machinery').transaction(async (trx) => {
    // Only the newest link works; for an unknown email this matches no row, at the same cost.
    await trx
      .from('one_time_tokens')
      .where({ staff_user_id: staff?.id ?? 0, purpose: 'password_reset' })
      .whereNull('used_at')
      .update({ used_at: db.raw('now()') })
    if (!sendTo) return
    await trx.insertQuery().table('one_time_tokens').insert({
      purpose: 'password_reset',
      staff_user_id: sendTo.id,
      token_hash: tokenHash,
      expires_at: DateTime.now().plus({ minutes: resetExpiryMinutes() }).toSQL(),
    })
    await enqueueMail(
      {
        template: 'password_reset',
        to: sendTo.email,
        subject: `Reset your ${practice.name} staff password`,
        data: { link: appLink(staffResetPath(token)), expiresInMinutes: resetExpiryMinutes(), accountKind: 'staff' },
        clientId: null,
      },
      { client: trx }
    )
  })

  await audit(ctx, { action: 'staff.password_reset.requested', actorKind: 'anonymous' })
  return true
}

/** Whether a staff reset link still works. Reading spends nothing (mail scanners open links). */
export async function staffResetLinkWorks(token: string) {
  if (!token || token.length > 100) return false
  const found = await OneTimeToken.query()
    .withScopes((scopes) => scopes.usable())
    .where({ tokenHash: OneTimeToken.hashToken(token), purpose: 'password_reset' })
    .whereExists((accounts) => {
      accounts
        .from('staff_users')
        .whereColumn('staff_users.id', 'one_time_tokens.staff_user_id')
        .where('staff_users.is_active', true)
    })
    .first()
  return found !== null
}

/** Spends the link, sets the password, ends every session of the account, queues the notice. Null when the link no longer works. */
export async function resetStaffPassword(ctx: HttpContext, token: string, password: string) {
  if (!token || token.length > 100) return null
  const passwordHash = await hash.use('scrypt').make(password)

  const staffId = await db.connection('machinery').transaction(async (trx) => {
    const spent = await trx.rawQuery(
      `update one_time_tokens set used_at = now()
        where token_hash = ? and purpose = 'password_reset' and staff_user_id is not null
          and used_at is null and expires_at > now()
        returning staff_user_id`,
      [OneTimeToken.hashToken(token)]
    )
    const id = spent.rows[0]?.staff_user_id
    if (!id) return null
    const updated = await trx.rawQuery(
      `update staff_users
          set password = ?, password_set_at = coalesce(password_set_at, now()),
              session_epoch = session_epoch + 1, updated_at = now()
        where id = ? and is_active
        returning id, email`,
      [passwordHash, id]
    )
    const staff = updated.rows[0] as { id: number; email: string } | undefined
    if (!staff) return null
    await enqueueMail(
      {
        template: 'password_changed',
        to: staff.email,
        subject: `Your ${practice.name} staff password was changed`,
        data: { accountKind: 'staff' },
        clientId: null,
      },
      { client: trx }
    )
    return Number(staff.id)
  })
  if (!staffId) return null
  await audit(ctx, { action: 'staff.password_reset.completed', actorKind: 'staff', actorId: staffId })
  return staffId
}
