import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import type { AccessLevel, Relationship } from '#models/client_user_link'
import { PortalAccountProblem } from '#actions/portal_accounts/portal_account_problem'
import { enqueueAccessNotice, recordRefusedAccessNotice, type NoticeOutcome } from '#actions/family/access_notice'

export interface EndedLink {
  id: number
  client_id: number
  client_user_id: number
  relationship: Relationship
  access_level: AccessLevel
  verified_at: Date | null
}

/**
 * Ends one live link in `trx` (one conditional UPDATE, so two callers never
 * end it twice) and queues the client's access notice (issue #20) in the same
 * transaction when someone else's access ended. Null when it had already
 * ended. `quietIfAccountOff`: an account staff turned off had its clients
 * told then (the 18th-birthday pass passes it).
 */
export async function endLinkIn(
  trx: TransactionClientContract,
  linkId: number,
  options: { quietIfAccountOff?: boolean } = {}
): Promise<{ ended: EndedLink; notice: NoticeOutcome | null } | null> {
  const [row] = await trx
    .from('client_user_links')
    .where('id', linkId)
    .whereNull('ended_at')
    .update({ ended_at: db.raw('now()'), updated_at: db.raw('now()') })
    .returning(['id', 'client_id', 'client_user_id', 'relationship', 'access_level', 'verified_at'])
  if (!row) return null
  // A link that never passed the identity check never gave access: nothing to tell.
  if (row.relationship === 'self' || !row.verified_at) return { ended: row, notice: null }
  const person = await trx.from('client_users').where('id', row.client_user_id).select('display_name', 'status').first()
  if (options.quietIfAccountOff && person.status !== 'active') return { ended: row, notice: null }
  const notice = await enqueueAccessNotice(trx, {
    clientId: Number(row.client_id),
    kind: 'ended',
    personName: person.display_name,
    relationship: row.relationship,
    level: row.access_level,
  })
  return { ended: row, notice }
}

/**
 * Ends one link at once: the account loses this client on its next request.
 * The client hears of it (an access notice, issue #20) when someone else's
 * access ended, in the same transaction.
 */
export async function endPortalLink(linkId: number, actor: Actor) {
  const { ended, notice } = await db.connection('machinery').transaction(async (trx) => {
    const outcome = await endLinkIn(trx, linkId)
    if (!outcome) throw new PortalAccountProblem('That link has already ended.')
    return outcome
  })
  await auditStaffOrOperator(actor, 'portal_link.ended', {
    clientId: ended.client_id,
    detail: { linkId: ended.id, accountId: ended.client_user_id, notice },
  })
  await recordRefusedAccessNotice(actor, Number(ended.client_id), notice)
}
