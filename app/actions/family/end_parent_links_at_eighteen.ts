import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { auditBy } from '#services/audit'
import { SYSTEM_ACTOR } from '#support/actor'
import { inPractice } from '#support/practice_time'
import { recordRefusedAccessNotice } from '#actions/family/access_notice'
import { endLinkIn } from '#actions/portal_accounts/end_portal_link'

/*
| A parent's access ends on the child's 18th birthday in the practice's time
| zone (DESIGN §14). Every portal request already refuses it from that day
| (ClientUserLink#grantsAccessOn); this pass, run by the worker, records the
| end on the link and tells the now-adult client, as staff ending a link
| does (issue #20: "when a link ends"). Each link is ended by one
| conditional UPDATE in its own transaction with its notice, so several
| workers never end one twice. `now` is a parameter, so tests drive it.
*/
export async function endParentLinksAtEighteen({ now = DateTime.now() }: { now?: DateTime } = {}) {
  // Born on or before this day eighteen years ago: an adult on the practice's today.
  const bornBy = inPractice(now).startOf('day').minus({ years: 18 }).toISODate()!
  const due: { id: number }[] = await db
    .connection('machinery')
    .from('client_user_links')
    .innerJoin('clients', 'clients.id', 'client_user_links.client_id')
    .where('client_user_links.relationship', 'parent')
    .whereNull('client_user_links.ended_at')
    .where('clients.date_of_birth', '<=', bornBy)
    .orderBy('client_user_links.id')
    .select('client_user_links.id')

  let ended = 0
  for (const { id } of due) {
    // Another worker may have ended it first (null). A turned-off account's clients were told then.
    const result = await db.connection('machinery').transaction((trx) => endLinkIn(trx, id, { quietIfAccountOff: true }))
    if (!result) continue
    ended++
    await auditBy(SYSTEM_ACTOR, {
      action: 'system.portal_link.ended_at_eighteen',
      actorKind: 'system',
      clientId: Number(result.ended.client_id),
      detail: { linkId: Number(result.ended.id), accountId: Number(result.ended.client_user_id), notice: result.notice },
    })
    await recordRefusedAccessNotice(SYSTEM_ACTOR, Number(result.ended.client_id), result.notice)
  }
  return { ended }
}
