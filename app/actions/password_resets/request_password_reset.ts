import db from '@adonisjs/lucid/services/db'
import { createHash } from 'node:crypto'
import practice from '#config/practice'
import OneTimeToken from '#models/one_time_token'
import { auditBy } from '#services/audit'
import { emailLink } from '#services/email_links'
import { discreetSubject, enqueueMail, mailI18n, mailLocale } from '#services/mail_queue'
import { securityMailIsDiscreet } from '#actions/contact/contact_subjects'
import type { Actor } from '#support/actor'
import {
  REQUESTS_PER_EMAIL,
  REQUESTS_PER_IP,
  consume,
  resetExpiryMinutes,
  type ResetSide,
} from '#actions/password_resets/reset_sides'

/**
 * Sends a reset link if the email belongs to an account that may sign in
 * and has not asked too often. Returns false only when the IP is throttled
 * (the same for every email, so it reveals nothing).
 */
export async function requestPasswordReset(side: ResetSide, email: string, actor: Actor) {
  const keyPrefix = side.name === 'portal' ? 'password_reset' : 'staff_password_reset'
  if (!(await consume(`${keyPrefix}:ip:${actor.ip}`, REQUESTS_PER_IP))) return false
  const emailKey = createHash('sha256').update(email).digest('hex')
  const emailAllowed = await consume(`${keyPrefix}:email:${emailKey}`, REQUESTS_PER_EMAIL)

  const account = await side.findByEmail(email)
  const sendTo = emailAllowed ? account : null

  await db.connection('machinery').transaction(async (trx) => {
    if (!sendTo) {
      // Only the newest link works; for an unknown email this matches no row, at the same cost.
      await OneTimeToken.retire('password_reset', side.owner(account?.id ?? 0), trx)
      return
    }
    // Retires the older links as above, then stores the new link's hash.
    const { token } = await OneTimeToken.issue('password_reset', side.owner(sendTo.id), {
      expiresIn: { minutes: resetExpiryMinutes() },
      client: trx,
    })
    const locale = mailLocale({ account: sendTo })
    // Exempt from the contact rules (asked for by the account holder); discreet mode still applies.
    const discreet = side.name === 'portal' && (await securityMailIsDiscreet(sendTo.id, 'password_reset', trx))
    await enqueueMail(
      {
        template: 'password_reset',
        to: sendTo.email,
        locale,
        discreet,
        subject: discreet
          ? discreetSubject('password_reset', locale)
          : mailI18n(locale).t('emails.password_reset.subject', { practice: practice.name, kind: side.name }),
        data: {
          link: emailLink(side.linkRoute, { token }),
          expiresInMinutes: resetExpiryMinutes(),
          ...(side.name === 'staff' ? { accountKind: 'staff' } : {}),
        },
        clientId: null,
      },
      { client: trx }
    )
  })

  await auditBy(actor, { action: `${side.name}.password_reset.requested`, actorKind: 'anonymous' })
  return true
}
