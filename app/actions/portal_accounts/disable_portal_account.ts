import db from '@adonisjs/lucid/services/db'
import practice from '#config/practice'
import ClientUser from '#models/client_user'
import { auditStaffOrOperator } from '#services/audit'
import { enqueueMail, mailI18n, mailLocale } from '#services/mail_queue'
import type { Actor } from '#support/actor'
import { PortalAccountProblem } from '#actions/portal_accounts/portal_account_problem'

/*
| Staff (Portal Settings) and operators (`node ace portal:disable`) switch
| portal access off. Account machinery: the app role, the machinery pool.
*/

/**
 * Disables the account and ends every open session of it at once (the epoch
 * changes). The notice email is written in the same transaction.
 */
export async function disablePortalAccount(accountId: number, actor: Actor) {
  const account = await db.connection('machinery').transaction(async (trx) => {
    const found = await ClientUser.query({ client: trx }).where('id', accountId).forUpdate().first()
    if (!found) throw new PortalAccountProblem('That portal account does not exist.')
    if (found.status === 'disabled') throw new PortalAccountProblem('That portal account is already disabled.')
    found.status = 'disabled'
    await found.endAllSessions()
    const locale = mailLocale({ account: found })
    await enqueueMail(
      {
        template: 'portal_access_disabled',
        to: found.email,
        locale,
        subject: mailI18n(locale).t('emails.portal_access_disabled.subject', { practice: practice.name }),
        data: {},
        clientId: null,
      },
      { client: trx }
    )
    return found
  })
  await auditStaffOrOperator(actor, 'portal_account.disabled', { detail: { accountId: account.id } })
  return account
}
