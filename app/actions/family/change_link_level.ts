import db from '@adonisjs/lucid/services/db'
import Client from '#models/client'
import ClientUser from '#models/client_user'
import PracticeSetting from '#models/practice_setting'
import { ACCESS_LEVELS, type AccessLevel, type Relationship } from '#models/client_user_link'
import { auditBy } from '#services/audit'
import { practiceNow } from '#support/practice_time'
import type { Actor } from '#support/actor'
import { enqueueAccessNotice, recordRefusedAccessNotice, type NoticeOutcome } from '#actions/family/access_notice'

/*
| Setting the level of one link (DESIGN §14), by staff on the client record
| or by an adult client for their own authorized caregivers (Account).
| Account machinery: the app role, the machinery pool, one transaction that
| changes the link and queues the client's access notice together. The
| portal reads the link again on the account's next request, so a change
| works at once.
|
| An adult client changing their own caregiver's level is not mailed about
| it (they made the change); every staff change is.
|
| Widening a teen's parent link beyond `appointments` is an explicit staff
| decision with a reason; the reason stays on the link (it may say
| something personal), the audit event names only the fields.
*/

export class LinkLevelProblem extends Error {
  constructor(readonly reason: 'not_found' | 'reason_required') {
    super(reason)
  }
}

export interface LevelChange {
  linkId: number
  level: AccessLevel
  reason?: string | null
  /** An adult client's own change: only links to this client, of an authorized caregiver. */
  asClientId?: number
}

export type LevelOutcome = { changed: false } | { changed: true; notice: NoticeOutcome | 'client_made_it' }

export async function changeLinkLevel(change: LevelChange, actor: Actor): Promise<LevelOutcome> {
  if (!ACCESS_LEVELS.includes(change.level)) throw new LinkLevelProblem('not_found')
  const settings = await PracticeSetting.current()
  const reason = change.reason?.trim() || null
  const byClient = change.asClientId !== undefined

  const result = await db.connection('machinery').transaction(async (trx) => {
    const link: { id: number; client_id: number; client_user_id: number; relationship: Relationship; access_level: AccessLevel } | null =
      await trx
        .from('client_user_links')
        .where('id', change.linkId)
        .whereNull('ended_at')
        .whereNot('relationship', 'self')
        .forUpdate()
        .first()
    if (!link) throw new LinkLevelProblem('not_found')
    if (change.asClientId !== undefined) {
      if (Number(link.client_id) !== change.asClientId || link.relationship !== 'authorized_caregiver') {
        throw new LinkLevelProblem('not_found')
      }
    }

    // Staff's change: is it a teen's parent link being widened? (A client's own change is of a caregiver.)
    const client = byClient ? null : await Client.query({ client: trx }).where('clients.id', link.client_id).firstOrFail()
    const widensTeen =
      client !== null &&
      link.relationship === 'parent' &&
      change.level !== 'appointments' &&
      client.isTeenOn(practiceNow(), settings.teenAge)
    if (widensTeen && !reason) throw new LinkLevelProblem('reason_required')

    // Setting a level (even the same one) is the review the dashboard asked for.
    await trx
      .from('client_user_links')
      .where('id', link.id)
      .update({
        access_level: change.level,
        level_reason: widensTeen ? reason : link.access_level === change.level ? db.raw('level_reason') : null,
        level_review_at: null,
        updated_at: db.raw('now()'),
      })
    if (link.access_level === change.level) return { link, outcome: { changed: false } as LevelOutcome }
    // The client made this change themself: there is nobody else to tell.
    if (byClient) return { link, outcome: { changed: true, notice: 'client_made_it' } as LevelOutcome }

    const person = await ClientUser.query({ client: trx }).where('id', link.client_user_id).select('id', 'displayName').firstOrFail()
    const notice = await enqueueAccessNotice(trx, {
      clientId: Number(link.client_id),
      kind: 'level_changed',
      personName: person.displayName,
      relationship: link.relationship,
      level: change.level,
    })
    return { link, outcome: { changed: true, notice } as LevelOutcome }
  })

  const { link, outcome } = result
  const detail = {
    linkId: link.id,
    accountId: Number(link.client_user_id),
    from: link.access_level,
    to: change.level,
    // Only that a reason was given: its words stay on the link.
    reasonGiven: reason !== null,
    notice: outcome.changed ? outcome.notice : null,
  }
  if (actor.kind === 'client_user') {
    await auditBy(actor, { action: 'portal.caregiver_level.changed', actorKind: 'client_user', actorId: actor.id, clientId: Number(link.client_id), detail })
  } else {
    const action = actor.kind === 'staff' ? 'staff.portal_link.level_set' : 'operator.portal_link.level_set'
    await auditBy(actor, { action, actorKind: actor.kind === 'staff' ? 'staff' : 'system', actorId: actor.id, clientId: Number(link.client_id), detail })
  }
  if (outcome.changed) await recordRefusedAccessNotice(actor, Number(link.client_id), outcome.notice as NoticeOutcome)
  return outcome
}
