import db from '@adonisjs/lucid/services/db'
import OneTimeToken from '#models/one_time_token'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'

/** The new address a link would confirm, or null when the link no longer works. Spends nothing. */
export async function pendingEmailChange(token: string) {
  if (!token || token.length > 100) return null
  const found = await OneTimeToken.query()
    .withScopes((scopes) => {
      scopes.usable()
      scopes.carriedBy(token, 'email_change')
    })
    .whereExists((accounts) => {
      accounts
        .from('client_users')
        .whereColumn('client_users.id', 'one_time_tokens.client_user_id')
        .whereNot('client_users.status', 'disabled')
    })
    .first()
  return found ? String(found.payload?.email) : null
}

export type EmailChangeOutcome = { changed: true; email: string } | { changed: false; reason: 'link' | 'taken' }

/**
 * Spends the link and changes the email; of two submissions one wins. An
 * address another account took meanwhile is refused by the unique index,
 * and then nothing changes (the link stays unspent).
 */
export async function confirmEmailChange(token: string, actor: Actor): Promise<EmailChangeOutcome> {
  if (!token || token.length > 100) return { changed: false, reason: 'link' }
  let changed: { accountId: number; email: string } | null
  try {
    changed = await db.connection('machinery').transaction(async (trx) => {
      const spent = await trx.rawQuery(
        `update one_time_tokens set used_at = now()
          where token_hash = ? and purpose = 'email_change' and client_user_id is not null
            and used_at is null and expires_at > now()
          returning client_user_id, payload`,
        [OneTimeToken.hashToken(token)]
      )
      const row = spent.rows[0] as { client_user_id: number; payload: { email?: string } | null } | undefined
      const email = row?.payload?.email
      if (!row || !email) return null

      const updated = await trx.rawQuery(
        `update client_users set email = ?, session_epoch = session_epoch + 1, updated_at = now()
          where id = ? and status <> 'disabled' returning id`,
        [email, row.client_user_id]
      )
      return updated.rows[0] ? { accountId: Number(row.client_user_id), email } : null
    })
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return { changed: false, reason: 'taken' }
    throw error
  }
  if (!changed) return { changed: false, reason: 'link' }

  await auditBy(actor, { action: 'portal.sign_in_email.changed', actorKind: 'client_user', actorId: changed.accountId })
  return { changed: true, email: changed.email }
}
