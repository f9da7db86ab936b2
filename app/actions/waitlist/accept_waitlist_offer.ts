/*
| Taking an offered earlier time (issue #22): the first to accept gets it,
| and exactly one booking exists.
|
| One transaction: it locks the slot's row first (SELECT … FOR UPDATE), so
| two clients accepting at once are served one after the other and the
| second finds the slot taken — no check-then-insert. Then, while the offer,
| its entry and the client's own later appointment still hold: the later
| appointment is cancelled as moved by the client (status cancelled, not
| late, cancelled_by_kind 'client', moved_to_appointment_id), the earlier
| one is booked (the exclusion constraint appointments_no_double_booking is
| the database's last word: a clash books nothing), both notices are queued
| (the .ics cancel and the new booking), the entry ends, the other open
| offers of the slot are missed. Any failure leaves none of it.
|
| The caller has already checked that the recipient's access is live and
| that the offer's entry is the client's, through the client's RLS
| transaction (the offer page's controller); this books as the app role, as
| every booking does, on the ids the offer row carries.
*/
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Appointment from '#models/appointment'
import Client from '#models/client'
import WaitlistEntry from '#models/waitlist_entry'
import WaitlistOffer from '#models/waitlist_offer'
import WaitlistSlot from '#models/waitlist_slot'
import { BookingClash } from '#exceptions/booking_clash'
import { auditNotice, queueAppointmentNotice } from '#actions/reminders/send_appointment_notice'
import { auditExpired, expireOpenOffers } from '#actions/waitlist/send_waitlist_offers'
import { auditBy } from '#services/audit'
import { SYSTEM_ACTOR, type Actor } from '#support/actor'
import { offerableAt } from '#support/waitlist_limits'

/**
 * accepted: booked now (or already, by another recipient for the same client);
 * taken: someone else has the time; gone: the offer no longer stands (the
 * time is too close or passed, the client left the waitlist, the later
 * appointment changed).
 */
export type AcceptOutcome =
  | { outcome: 'accepted'; appointmentId: number; startsAt: DateTime }
  | { outcome: 'taken' }
  | { outcome: 'gone' }

/** Thrown inside the transaction to undo everything it did. */
class OfferNoLongerStands extends Error {}

export async function acceptWaitlistOffer(
  input: { offerId: number; accountId: number | null },
  actor: Actor,
  options: { now?: DateTime } = {}
): Promise<AcceptOutcome> {
  const now = options.now ?? DateTime.now()
  let result
  try {
    result = await db.transaction(async (trx) => {
      const found = await WaitlistOffer.query({ client: trx }).where('id', input.offerId).select('slot_id').first()
      if (!found) return { outcome: 'gone' as const }
      // The one place concurrent acceptances queue: the slot's row.
      const slot = await WaitlistSlot.query({ client: trx }).where('id', found.slotId).forUpdate().firstOrFail()
      const offer = await WaitlistOffer.query({ client: trx }).where('id', input.offerId).forUpdate().firstOrFail()

      if (slot.status === 'taken') {
        const booked = slot.bookedAppointmentId ? await Appointment.query({ client: trx }).where('id', slot.bookedAppointmentId).first() : null
        if (booked && booked.clientId === offer.clientId && booked.status === 'scheduled') {
          return { outcome: 'accepted' as const, appointmentId: booked.id, startsAt: booked.startsAt }
        }
        return { outcome: 'taken' as const }
      }
      if (slot.status !== 'open' || offer.status !== 'open') return { outcome: offer.status === 'missed' ? ('taken' as const) : ('gone' as const) }
      if (offer.startsAt.toMillis() !== slot.startsAt.toMillis() || !offerableAt(slot.startsAt, now)) return { outcome: 'gone' as const }

      const entry = await WaitlistEntry.query({ client: trx }).where('id', offer.entryId).first()
      if (!entry || entry.status !== 'waiting' || entry.clientId !== offer.clientId) return { outcome: 'gone' as const }
      const client = await Client.query({ client: trx }).where('clients.id', offer.clientId).first()
      if (!client || client.status !== 'active') return { outcome: 'gone' as const }
      const later = await Appointment.query({ client: trx })
        .where('id', entry.appointmentId)
        .where('client_id', offer.clientId)
        .forUpdate()
        .first()
      if (!later || later.status !== 'scheduled' || later.startsAt <= slot.startsAt || later.providerId !== slot.providerId) {
        return { outcome: 'gone' as const }
      }

      // Moved by the client: a plain cancellation, never a late one.
      later.status = 'cancelled'
      later.cancelledAt = now
      later.cancelledByKind = 'client'
      later.cancelledById = input.accountId
      await later.save()
      const booked = await Appointment.book(
        {
          clientId: offer.clientId,
          providerId: slot.providerId,
          appointmentTypeId: later.appointmentTypeId,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          modality: later.isTelehealth ? 'telehealth' : 'in_person',
          location: later.location ?? undefined,
          videoUrl: later.videoUrl,
        },
        { client: trx }
      )
      later.movedToAppointmentId = booked.id
      await later.save()
      const notices = [
        await queueAppointmentNotice(trx, { appointmentId: later.id, kind: 'cancelled' }),
        await queueAppointmentNotice(trx, { appointmentId: booked.id, kind: 'booked' }),
      ]

      // Conditional: an entry left meanwhile undoes all of the above.
      const ended = await trx
        .from('waitlist_entries')
        .where('id', entry.id)
        .where('status', 'waiting')
        .update({ status: 'ended', ended_reason: 'moved', ended_at: now.toISO(), updated_at: now.toISO() })
      if (!Number(ended)) throw new OfferNoLongerStands()

      offer.status = 'accepted'
      offer.decidedAt = now
      await offer.save()
      slot.status = 'taken'
      slot.bookedAppointmentId = booked.id
      slot.decidedAt = now
      await slot.save()
      const missed = await expireOpenOffers(trx, (query) => query.where('slot_id', slot.id), now, 'missed')
      const entryEnded = await expireOpenOffers(trx, (query) => query.where('entry_id', entry.id), now)
      return {
        outcome: 'accepted' as const,
        appointmentId: booked.id,
        startsAt: booked.startsAt,
        fresh: { booked, later, slot, offer, entry, notices, missed, entryEnded },
      }
    })
  } catch (error) {
    if (error instanceof OfferNoLongerStands) return { outcome: 'gone' }
    // The provider was booked at that time another way: the database refused, nothing was written.
    if (error instanceof BookingClash) return { outcome: 'taken' }
    throw error
  }

  if (result.outcome !== 'accepted' || !('fresh' in result) || !result.fresh) return stripped(result)
  const { booked, later, slot, offer, entry, notices, missed, entryEnded } = result.fresh
  await auditBy(actor, {
    action: `${actor.kind === 'system' || actor.kind === 'staff' ? actor.kind : 'portal'}.waitlist.offer_accepted`,
    actorKind: actor.kind,
    actorId: actor.id,
    clientId: offer.clientId,
    detail: { offerId: offer.id, slotId: slot.id, entryId: entry.id, appointmentId: booked.id, movedFromAppointmentId: later.id },
  })
  for (const notice of notices) await auditNotice(actor, notice)
  await auditExpired(SYSTEM_ACTOR, missed, 'taken')
  await auditExpired(SYSTEM_ACTOR, entryEnded, 'entry_ended')
  return stripped(result)
}

function stripped(result: AcceptOutcome & { fresh?: unknown }): AcceptOutcome {
  if (result.outcome === 'accepted') return { outcome: 'accepted', appointmentId: result.appointmentId, startsAt: result.startsAt }
  return { outcome: result.outcome }
}
