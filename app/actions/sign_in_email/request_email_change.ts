import db from '@adonisjs/lucid/services/db'
import practice from '#config/practice'
import type ClientUser from '#models/client_user'
import OneTimeToken from '#models/one_time_token'
import { emailLink } from '#services/email_links'
import { discreetSubject, enqueueMail, mailI18n, mailLocale } from '#services/mail_queue'
import { securityMailIsDiscreet } from '#actions/contact/contact_subjects'
import { maskEmail } from '#support/masking'

/*
| A portal account's new sign-in email. Asking (with the current password,
| checked by the caller) issues a single-use link to the new address and
| tells the current address, all in one transaction; nothing else changes.
| Opening the link spends nothing; confirming spends it with one conditional
| UPDATE, changes the email and ends every session of the account, so the
| person signs in again with the new address. Account machinery: the app
| role, the machinery pool.
*/
export const EMAIL_CHANGE_EXPIRY_HOURS = 24

/**
 * Issues the link to the new address and tells the current one; the caller
 * checked the password. Both mails are exempt from the contact rules (the
 * holder asked for them) but follow discreet mode: the caller's answer when
 * it has one (a portal request knows its client's), else mayContact asked of
 * every client the account acts for.
 */
export async function requestEmailChange(account: ClientUser, newEmail: string, options: { discreet?: boolean } = {}) {
  const locale = mailLocale({ account })
  const i18n = mailI18n(locale)
  return db.connection('machinery').transaction(async (trx) => {
    const { token, record } = await OneTimeToken.issue('email_change', { clientUserId: account.id }, {
      expiresIn: { hours: EMAIL_CHANGE_EXPIRY_HOURS },
      payload: { email: newEmail },
      client: trx,
    })
    const discreet = options.discreet ?? (await securityMailIsDiscreet(account.id, 'email_change_confirm', trx))
    await enqueueMail(
      {
        template: 'email_change_confirm',
        to: newEmail,
        locale,
        discreet,
        subject: discreet
          ? discreetSubject('email_change_confirm', locale)
          : i18n.t('emails.email_change_confirm.subject', { practice: practice.name }),
        data: { link: emailLink('portal.sign_in_email.confirmation', { token }), expiresInHours: EMAIL_CHANGE_EXPIRY_HOURS },
        clientId: null,
      },
      { client: trx }
    )
    await enqueueMail(
      {
        template: 'email_change_notice',
        to: account.email,
        locale,
        discreet,
        subject: discreet
          ? discreetSubject('email_change_notice', locale)
          : i18n.t('emails.email_change_notice.subject', { practice: practice.name }),
        data: { newEmailMasked: maskEmail(newEmail) },
        clientId: null,
      },
      { client: trx }
    )
    return record
  })
}
