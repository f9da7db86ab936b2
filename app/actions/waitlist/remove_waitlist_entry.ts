import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import WaitlistEntry from '#models/waitlist_entry'
import { auditExpired, expireOpenOffers } from '#actions/waitlist/send_waitlist_offers'
import { auditStaffOrOperator } from '#services/audit'
import { SYSTEM_ACTOR, type Actor } from '#support/actor'

/**
 * Staff take a client off the waitlist (issue #22): the entry ends (locked
 * first, only while waiting) and its open offers expire, in one transaction;
 * audited. False when it had already ended.
 */
export async function removeWaitlistEntry(input: { entryId: number }, actor: Actor) {
  const now = DateTime.now()
  const result = await db.transaction(async (trx) => {
    const entry = await WaitlistEntry.query({ client: trx })
      .where('id', input.entryId)
      .withScopes((scopes) => scopes.waiting())
      .forUpdate()
      .first()
    if (!entry) return null
    entry.merge({ status: 'ended', endedReason: 'removed', endedAt: now, updatedAt: now, endedById: actor.kind === 'staff' ? actor.id : null })
    await entry.save()
    return { entry, expired: await expireOpenOffers(trx, (query) => query.where('entry_id', entry.id), now) }
  })
  if (!result) return false
  await auditStaffOrOperator(actor, 'waitlist.entry_removed', { clientId: result.entry.clientId, detail: { entryId: result.entry.id } })
  await auditExpired(SYSTEM_ACTOR, result.expired, 'entry_ended')
  return true
}
