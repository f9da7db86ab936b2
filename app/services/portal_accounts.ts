import db from '@adonisjs/lucid/services/db'
import practice from '#config/practice'
import ClientUser from '#models/client_user'
import { enqueueMail } from '#services/mail_queue'
import { auditAction, type Actor } from '#services/portal_invitations'

/*
| Staff and operators switching portal access off and on, shared by Portal
| Settings and `node ace portal:disable`. Account machinery: the app role,
| the machinery pool.
*/

export class PortalAccountProblem extends Error {}

/**
 * Disables the account and ends every open session of it at once (the epoch
 * changes). The notice email is written in the same transaction.
 */
export async function disablePortalAccount(accountId: number, by: Actor) {
  const account = await db.connection('machinery').transaction(async (trx) => {
    const found = await ClientUser.query({ client: trx }).where('id', accountId).forUpdate().first()
    if (!found) throw new PortalAccountProblem('That portal account does not exist.')
    if (found.status === 'disabled') throw new PortalAccountProblem('That portal account is already disabled.')
    found.status = 'disabled'
    await found.endAllSessions()
    await enqueueMail(
      {
        template: 'portal_access_disabled',
        to: found.email,
        subject: `Your ${practice.name} portal access has changed`,
        data: {},
        clientId: null,
      },
      { client: trx }
    )
    return found
  })
  await auditAction(by, 'portal_account.disabled', { detail: { accountId: account.id } })
  return account
}

/**
 * Lets the account sign in again. An account that never passed an identity
 * check goes back to onboarding rather than straight to the portal.
 */
export async function enablePortalAccount(accountId: number, by: Actor) {
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
  await auditAction(by, 'portal_account.enabled', { detail: { accountId: account.id } })
  return account
}

/** Ends one link at once: the account loses this client on its next request. */
export async function endPortalLink(linkId: number, by: Actor) {
  const [ended] = await db
    .connection('machinery')
    .from('client_user_links')
    .where('id', linkId)
    .whereNull('ended_at')
    .update({ ended_at: db.raw('now()'), updated_at: db.raw('now()') })
    .returning(['id', 'client_id', 'client_user_id'])
  if (!ended) throw new PortalAccountProblem('That link has already ended.')
  await auditAction(by, 'portal_link.ended', {
    clientId: ended.client_id,
    detail: { linkId: ended.id, accountId: ended.client_user_id },
  })
}
