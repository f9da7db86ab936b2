import db from '@adonisjs/lucid/services/db'
import ClientUser from '#models/client_user'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import { PortalAccountProblem } from '#actions/portal_accounts/portal_account_problem'

/**
 * Lets the account sign in again. An account that never passed an identity
 * check goes back to onboarding rather than straight to the portal.
 */
export async function enablePortalAccount(accountId: number, actor: Actor) {
  const account = await ClientUser.find(accountId)
  if (!account) throw new PortalAccountProblem('That portal account does not exist.')
  if (account.status !== 'disabled') throw new PortalAccountProblem('That portal account is not disabled.')
  const verified = await db
    .connection('machinery')
    .from('client_user_links')
    .where('client_user_id', account.id)
    .whereNotNull('verified_at')
    .first()
  account.status = verified ? 'active' : 'onboarding'
  await account.save()
  await auditStaffOrOperator(actor, 'portal_account.enabled', { detail: { accountId: account.id } })
  return account
}
