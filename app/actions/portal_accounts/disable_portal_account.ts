import db from '@adonisjs/lucid/services/db'
import practice from '#config/practice'
import ClientUser from '#models/client_user'
import { auditStaffOrOperator } from '#services/audit'
import { discreetSubject, enqueueMail, mailI18n, mailLocale } from '#services/mail_queue'
import { mayContact } from '#actions/contact/may_contact'
import { contactSubjectsOfAccount, recordWithheld } from '#actions/contact/contact_subjects'
import type { Actor } from '#support/actor'
import { PortalAccountProblem } from '#actions/portal_accounts/portal_account_problem'
import { auditAccountNotices, enqueueAccountAccessNotices } from '#actions/portal_accounts/link_access_notices'

/*
| Staff (Portal Settings) and operators (`node ace portal:disable`) switch
| portal access off. Account machinery: the app role, the machinery pool.
| The notice email asks mayContact about every client the account acts for;
| a withheld notice is recorded on each refusing client's record. Each
| client the account acted for as guardian or caregiver is told their
| access ended (an access notice, issue #20), in the same transaction.
*/

/**
 * Disables the account and ends every open session of it at once (the epoch
 * changes). The notice email is written in the same transaction.
 */
export async function disablePortalAccount(accountId: number, actor: Actor) {
  const outcome = await db.connection('machinery').transaction(async (trx) => {
    const found = await ClientUser.query({ client: trx }).where('id', accountId).forUpdate().first()
    if (!found) throw new PortalAccountProblem('That portal account does not exist.')
    if (found.status === 'disabled') throw new PortalAccountProblem('That portal account is already disabled.')
    found.status = 'disabled'
    await found.endAllSessions()
    // mayContact decides, for every client the account acts for (one of them forbidding email withholds it).
    const clients = await contactSubjectsOfAccount(found.id, trx)
    const refusals = clients.flatMap((client) => {
      const decision = mayContact(client, 'portal_access_disabled')
      return decision.allowed ? [] : [{ clientId: client.id, reason: decision.reason }]
    })
    if (!refusals.length) {
      const discreet = clients.some((client) => client.preference?.discreetMode === true)
      const locale = mailLocale({ account: found })
      await enqueueMail(
        {
          template: 'portal_access_disabled',
          to: found.email,
          locale,
          subject: discreet
            ? discreetSubject('portal_access_disabled', locale)
            : mailI18n(locale).t('emails.portal_access_disabled.subject', { practice: practice.name }),
          discreet,
          data: {},
          clientId: null,
        },
        { client: trx }
      )
    }
    const notices = await enqueueAccountAccessNotices(trx, found, 'ended')
    return { account: found, refusals, notices }
  })
  await auditStaffOrOperator(actor, 'portal_account.disabled', { detail: { accountId: outcome.account.id } })
  await auditAccountNotices(actor, outcome.account, 'ended', outcome.notices)
  for (const refusal of outcome.refusals) {
    await recordWithheld(actor, { clientId: refusal.clientId, kind: 'portal_access_disabled', reason: refusal.reason })
  }
  return outcome.account
}
