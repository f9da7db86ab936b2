import db from '@adonisjs/lucid/services/db'
import ClientUser from '#models/client_user'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import { PortalAccountProblem } from '#actions/portal_accounts/portal_account_problem'
import { auditAccountNotices, enqueueAccountAccessNotices } from '#actions/portal_accounts/link_access_notices'

/**
 * Lets the account sign in again. An account that never passed an identity
 * check goes back to onboarding rather than straight to the portal. Each
 * client the account acts for as guardian or caregiver is told it has access
 * again (an access notice, issue #20), in the same transaction.
 */
export async function enablePortalAccount(accountId: number, actor: Actor) {
  const { account, notices } = await db.connection('machinery').transaction(async (trx) => {
    const found = await ClientUser.query({ client: trx }).where('id', accountId).forUpdate().first()
    if (!found) throw new PortalAccountProblem('That portal account does not exist.')
    if (found.status !== 'disabled') throw new PortalAccountProblem('That portal account is not disabled.')
    const verified = await trx.from('client_user_links').where('client_user_id', found.id).whereNotNull('verified_at').first()
    found.status = verified ? 'active' : 'onboarding'
    await found.save()
    // Only verified links give access, so an account back in onboarding tells nobody.
    return { account: found, notices: await enqueueAccountAccessNotices(trx, found, 'gained') }
  })
  await auditStaffOrOperator(actor, 'portal_account.enabled', { detail: { accountId: account.id } })
  await auditAccountNotices(actor, account, 'gained', notices)
  return account
}
