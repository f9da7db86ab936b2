import db from '@adonisjs/lucid/services/db'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import { PortalAccountProblem } from '#actions/portal_accounts/portal_account_problem'

/** Ends one link at once: the account loses this client on its next request. */
export async function endPortalLink(linkId: number, actor: Actor) {
  const [ended] = await db
    .connection('machinery')
    .from('client_user_links')
    .where('id', linkId)
    .whereNull('ended_at')
    .update({ ended_at: db.raw('now()'), updated_at: db.raw('now()') })
    .returning(['id', 'client_id', 'client_user_id'])
  if (!ended) throw new PortalAccountProblem('That link has already ended.')
  await auditStaffOrOperator(actor, 'portal_link.ended', {
    clientId: ended.client_id,
    detail: { linkId: ended.id, accountId: ended.client_user_id },
  })
}
