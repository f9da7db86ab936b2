import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { auditBy } from '#services/audit'
import { SYSTEM_ACTOR } from '#support/actor'
import { inPractice } from '#support/practice_time'
import { enqueueAccessNotice, recordRefusedAccessNotice, type NoticeOutcome } from '#actions/family/access_notice'

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
    const result = await db.connection('machinery').transaction(async (trx) => {
      const [row] = await trx
        .from('client_user_links')
        .where('id', id)
        .whereNull('ended_at')
        .update({ ended_at: db.raw('now()'), updated_at: db.raw('now()') })
        .returning(['id', 'client_id', 'client_user_id', 'access_level', 'verified_at'])
      // Another worker ended it first.
      if (!row) return null
      // A link that never passed the identity check, or whose account is turned off (the client
      // was told then), gave no access until today: nothing to tell.
      let notice: NoticeOutcome | null = null
      const person = await trx.from('client_users').where('id', row.client_user_id).select('display_name', 'status').first()
      if (row.verified_at && person.status === 'active') {
        notice = await enqueueAccessNotice(trx, {
          clientId: Number(row.client_id),
          kind: 'ended',
          personName: person.display_name,
          relationship: 'parent',
          level: row.access_level,
        })
      }
      return { row, notice }
    })
    if (!result) continue
    ended++
    await auditBy(SYSTEM_ACTOR, {
      action: 'system.portal_link.ended_at_eighteen',
      actorKind: 'system',
      clientId: Number(result.row.client_id),
      detail: { linkId: Number(result.row.id), accountId: Number(result.row.client_user_id), notice: result.notice },
    })
    await recordRefusedAccessNotice(SYSTEM_ACTOR, Number(result.row.client_id), result.notice)
  }
  return { ended }
}
