import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import practice from '#config/practice'
import OneTimeToken from '#models/one_time_token'
import { auditBy } from '#services/audit'
import { discreetSubject, enqueueMail, mailI18n, mailLocale } from '#services/mail_queue'
import { securityMailIsDiscreet } from '#actions/contact/contact_subjects'
import type { Actor } from '#support/actor'
import type { ResetSide } from '#actions/password_resets/reset_sides'

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
export async function resetPassword(side: ResetSide, token: string, password: string, actor: Actor) {
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
        returning id, email, ${side.languageSql} as language`,
      [passwordHash, ownerId]
    )
    const account = updated.rows[0] as { id: number; email: string; language: string } | undefined
    if (!account) return null
    const locale = mailLocale({ account })
    // Exempt from the contact rules (it follows the holder's own reset); discreet mode still applies.
    const discreet = side.name === 'portal' && (await securityMailIsDiscreet(Number(account.id), 'password_changed', trx))
    await enqueueMail(
      {
        template: 'password_changed',
        to: account.email,
        locale,
        discreet,
        subject: discreet
          ? discreetSubject('password_changed', locale)
          : mailI18n(locale).t('emails.password_changed.subject', { practice: practice.name, kind: side.name }),
        data: side.name === 'staff' ? { accountKind: 'staff' } : {},
        clientId: null,
      },
      { client: trx }
    )
    return Number(account.id)
  })
  if (!accountId) return null

  await auditBy(actor, { action: `${side.name}.password_reset.completed`, actorKind: side.actorKind, actorId: accountId })
  return accountId
}
