import db from '@adonisjs/lucid/services/db'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import { PortalAccountProblem } from '#actions/portal_accounts/portal_account_problem'
import { enqueueAccessNotice, recordRefusedAccessNotice } from '#actions/family/access_notice'

/**
 * Ends one link at once: the account loses this client on its next request.
 * The client hears of it (an access notice, issue #20) when someone else's
 * access ended, in the same transaction.
 */
export async function endPortalLink(linkId: number, actor: Actor) {
  const { ended, notice } = await db.connection('machinery').transaction(async (trx) => {
    const [row] = await trx
      .from('client_user_links')
      .where('id', linkId)
      .whereNull('ended_at')
      .update({ ended_at: db.raw('now()'), updated_at: db.raw('now()') })
      .returning(['id', 'client_id', 'client_user_id', 'relationship', 'access_level', 'verified_at'])
    if (!row) throw new PortalAccountProblem('That link has already ended.')
    // A link that never passed the identity check never gave access: nothing to tell.
    if (row.relationship === 'self' || !row.verified_at) return { ended: row, notice: null }
    const person = await trx.from('client_users').where('id', row.client_user_id).select('display_name').first()
    const notice = await enqueueAccessNotice(trx, {
      clientId: Number(row.client_id),
      kind: 'ended',
      personName: person.display_name,
      relationship: row.relationship,
      level: row.access_level,
    })
    return { ended: row, notice }
  })
  await auditStaffOrOperator(actor, 'portal_link.ended', {
    clientId: ended.client_id,
    detail: { linkId: ended.id, accountId: ended.client_user_id, notice },
  })
  await recordRefusedAccessNotice(actor, Number(ended.client_id), notice)
}
