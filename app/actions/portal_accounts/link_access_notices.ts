import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { AccessChange, NoticeOutcome } from '#actions/family/access_notice'
import { enqueueAccessNotice, recordRefusedAccessNotice } from '#actions/family/access_notice'
import type { AccessLevel, Relationship } from '#models/client_user_link'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'

/*
| Turning a whole portal account off or on changes the access of every client
| it acts for (issue #20): each of them hears of it, as when one link ends or
| is verified. Only links that gave access count (live, past the identity
| check), and never the account's own `self` link: a client is not told about
| their own account. Each notified link gets its own audit event on its
| client's record (`portal_link.suspended` / `portal_link.restored`, beside
| the account's own event), with what became of the notice, as
| `portal_link.ended` has.
*/

export interface LinkNotice {
  linkId: number
  clientId: number
  notice: NoticeOutcome
}

/** Queues, in `trx`, one access notice per client the account's live, verified, non-self links reach. */
export async function enqueueAccountAccessNotices(
  trx: TransactionClientContract,
  account: { id: number; displayName: string },
  kind: Extract<AccessChange, 'gained' | 'ended'>
): Promise<LinkNotice[]> {
  const links: { id: number; client_id: number; relationship: Relationship; access_level: AccessLevel }[] = await trx
    .from('client_user_links')
    .where('client_user_id', account.id)
    .whereNull('ended_at')
    .whereNotNull('verified_at')
    .whereNot('relationship', 'self')
    .orderBy('id')
    .select('id', 'client_id', 'relationship', 'access_level')
  const notices: LinkNotice[] = []
  for (const link of links) {
    const notice = await enqueueAccessNotice(trx, {
      clientId: Number(link.client_id),
      kind,
      personName: account.displayName,
      relationship: link.relationship,
      level: link.access_level,
    })
    notices.push({ linkId: Number(link.id), clientId: Number(link.client_id), notice })
  }
  return notices
}

/** Audits each link's notice on its client's record, and lists the ones mayContact refused, as the single-link notices do. */
export async function auditAccountNotices(
  actor: Actor,
  account: { id: number },
  kind: Extract<AccessChange, 'gained' | 'ended'>,
  notices: LinkNotice[]
) {
  for (const { linkId, clientId, notice } of notices) {
    await auditStaffOrOperator(actor, kind === 'ended' ? 'portal_link.suspended' : 'portal_link.restored', {
      clientId,
      detail: { linkId, accountId: account.id, notice },
    })
    await recordRefusedAccessNotice(actor, clientId, notice)
  }
}
