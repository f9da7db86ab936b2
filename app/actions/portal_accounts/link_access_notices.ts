import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { AccessChange, NoticeOutcome } from '#actions/family/access_notice'
import { enqueueAccessNotice, recordRefusedAccessNotice } from '#actions/family/access_notice'
import ClientUserLink from '#models/client_user_link'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import { practiceToday } from '#support/practice_time'

/*
| Turning a whole portal account off or on changes the access of every client
| it acts for (issue #20): each of them hears of it, as when one link ends or
| is verified. Only links that give access count (live, past the identity
| check, and granting access today), and never the account's own `self` link: a client is not told about
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

/** Queues, in `trx`, one access notice per client the account's live, verified, non-self links give access to today. */
export async function enqueueAccountAccessNotices(
  trx: TransactionClientContract,
  account: { id: number; displayName: string },
  kind: Extract<AccessChange, 'gained' | 'ended'>
): Promise<LinkNotice[]> {
  // The same rule as every portal request (ClientUserLink#grantsAccessOn): an
  // inactive client, or a parent's link past the 18th birthday, gave no access
  // to lose or to regain, so nobody is told of one.
  const today = practiceToday()
  const links = (
    await ClientUserLink.query({ client: trx })
      .withScopes((scopes) => {
        scopes.live()
        scopes.withClient()
      })
      .where('client_user_links.client_user_id', account.id)
      .whereNotNull('client_user_links.verified_at')
      .whereNot('client_user_links.relationship', 'self')
      .orderBy('client_user_links.id')
  ).filter((link) => link.grantsAccessOn(today))
  const notices: LinkNotice[] = []
  for (const link of links) {
    const notice = await enqueueAccessNotice(trx, {
      clientId: link.clientId,
      kind,
      personName: account.displayName,
      relationship: link.relationship,
      level: link.accessLevel,
    })
    notices.push({ linkId: link.id, clientId: link.clientId, notice })
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
