/*
| The waitlist pass (issue #22), run by the worker (jobs:work) beside the
| reminders, with `now` passed in (tests drive the clock):
|
| 1. Entries end by themselves when their appointment has passed or is no
|    longer scheduled, or the client is no longer active; their open offers
|    expire.
| 2. Each open slot due for a wave (a cancellation freed it: the trigger
|    waitlist_record_freed_slot): while it starts at least 12 hours ahead and
|    the provider has not been booked then otherwise, the 3 longest-waiting
|    matching entries not yet offered it get an offer — same provider, their
|    own appointment later than the slot, the slot inside their days and
|    parts of the day. Two hours later, if nobody took it, the next 3. A slot
|    too close (or booked otherwise) closes and its open offers expire.
|
| An offer is a mail with an action link per recipient (the people who get
| the client's appointment mail, appointment_mail.ts), as mayContact allows
| (`waitlist_offer`, discreet mode); a refused one is recorded (withheld) and
| counts as offered, so the next wave goes to the next clients. Offers and
| their mail commit together with the slot's wave under the slot's row lock
| (SKIP LOCKED: several workers share the slots). Nothing is offered while
| the practice's mode is view_only. Every offer sent and expired is audited.
*/
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Appointment from '#models/appointment'
import Client from '#models/client'
import ClientPreference from '#models/client_preference'
import OneTimeToken from '#models/one_time_token'
import PracticeSetting from '#models/practice_setting'
import WaitlistEntry from '#models/waitlist_entry'
import WaitlistOffer from '#models/waitlist_offer'
import WaitlistSlot from '#models/waitlist_slot'
import { mayContact, type ContactRefusal } from '#actions/contact/may_contact'
import { recordWithheld } from '#actions/contact/contact_subjects'
import { recipientsOf, type AppointmentRecipient } from '#actions/reminders/appointment_mail'
import { discreetSubject, enqueueMail, mailI18n } from '#services/mail_queue'
import { emailLink } from '#services/email_links'
import { auditBy } from '#services/audit'
import { SYSTEM_ACTOR, type Actor } from '#support/actor'
import { INTL_LOCALES } from '#support/locales'
import { formatDate, formatTime } from '#support/practice_time'
import { OFFERS_PER_WAVE, OFFER_LEAD_HOURS, WAVE_HOURS, offerableAt, slotBits } from '#support/waitlist_limits'

export interface WaitlistPassResult {
  entriesEnded: number
  offersSent: number
  offersWithheld: number
  offersExpired: number
  slotsClosed: number
}

/** Why an open offer expired, for its audit event. */
type ExpiryReason = 'too_close' | 'booked_otherwise' | 'entry_ended' | 'taken'

interface ExpiredOffer {
  id: number
  clientId: number
  slotId: number
}

export async function runWaitlistPass(options: { now?: DateTime; actor?: Actor } = {}): Promise<WaitlistPassResult> {
  const now = options.now ?? DateTime.now()
  const actor = options.actor ?? SYSTEM_ACTOR
  const result: WaitlistPassResult = { entriesEnded: 0, offersSent: 0, offersWithheld: 0, offersExpired: 0, slotsClosed: 0 }

  const ended = await endStaleEntries(now)
  result.entriesEnded = ended.entries.length
  for (const entry of ended.entries) {
    await auditBy(actor, {
      action: 'system.waitlist.entry_ended',
      actorKind: actor.kind,
      actorId: actor.id,
      clientId: entry.clientId,
      detail: { entryId: entry.id, reason: entry.reason },
    })
  }
  result.offersExpired += await auditExpired(actor, ended.offers, 'entry_ended')

  // View only: the waitlist is off (DESIGN §14); slots keep their place until the mode opens or they close.
  if (!(await PracticeSetting.current()).clientsMaySchedule) return result

  const due = await WaitlistSlot.query()
    .where('status', 'open')
    .withScopes((scopes) => scopes.dueAt(now))
    .orderBy('next_wave_at', 'asc')
    .orderBy('id', 'asc')
    .select('id')
    .limit(100)
  for (const { id } of due) {
    const wave = await offerSlot(id, now)
    if (!wave) continue
    if (wave.closed) {
      result.slotsClosed++
      result.offersExpired += await auditExpired(actor, wave.expired, wave.closed)
      continue
    }
    for (const offer of wave.sent) {
      await auditBy(actor, {
        action: 'system.waitlist.offer_sent',
        actorKind: actor.kind,
        actorId: actor.id,
        clientId: offer.clientId,
        detail: { offerId: offer.id, slotId: offer.slotId, entryId: offer.entryId, wave: offer.wave, toAccount: offer.clientUserId !== null },
      })
    }
    for (const withheld of wave.withheld) {
      await recordWithheld(actor, { clientId: withheld.clientId, kind: 'waitlist_offer', reason: withheld.reason })
    }
    result.offersSent += wave.sent.length
    result.offersWithheld += wave.withheld.length
  }
  return result
}

/** Audits each offer that expired; returns how many. */
export async function auditExpired(actor: Actor, offers: ExpiredOffer[], reason: ExpiryReason) {
  for (const offer of offers) {
    await auditBy(actor, {
      action: 'system.waitlist.offer_expired',
      actorKind: actor.kind,
      actorId: actor.id,
      clientId: offer.clientId,
      detail: { offerId: offer.id, slotId: offer.slotId, reason },
    })
  }
  return offers.length
}

/**
 * Ends the waiting entries whose appointment has passed or is no longer
 * scheduled, or whose client is no longer active, and expires their open offers.
 */
async function endStaleEntries(now: DateTime) {
  return db.transaction(async (trx) => {
    const { rows } = await trx.rawQuery(
      `update waitlist_entries e
          set status = 'ended',
              ended_reason = case when c.status <> 'active' then 'inactive'
                                  when a.status <> 'scheduled' then 'cancelled'
                                  else 'passed' end,
              ended_at = ?, updated_at = ?
         from appointments a, clients c
        where a.id = e.appointment_id and c.id = e.client_id and e.status = 'waiting'
          and (c.status <> 'active' or a.status <> 'scheduled' or a.starts_at <= ?)
        returning e.id, e.client_id, e.ended_reason`,
      [now.toISO()!, now.toISO()!, now.toISO()!]
    )
    const entries = (rows as { id: string; client_id: string; ended_reason: string }[]).map((row) => ({
      id: Number(row.id),
      clientId: Number(row.client_id),
      reason: row.ended_reason,
    }))
    const offers = await expireOpenOffers(trx, (query) => query.whereIn('entry_id', entries.map((entry) => entry.id)), now)
    return { entries, offers }
  })
}

/** Marks the matching open offers expired (or missed); returns them for their audit events. */
export async function expireOpenOffers(
  trx: TransactionClientContract,
  where: (query: any) => void,
  now: DateTime,
  status: 'expired' | 'missed' = 'expired'
): Promise<ExpiredOffer[]> {
  const query = trx.from('waitlist_offers').where('status', 'open')
  where(query)
  const rows: { id: string; client_id: string; slot_id: string }[] = await query
    .update({ status, decided_at: now.toISO() })
    .returning(['id', 'client_id', 'slot_id'])
  return rows.map((row) => ({ id: Number(row.id), clientId: Number(row.client_id), slotId: Number(row.slot_id) }))
}

interface SentOffer {
  id: number
  clientId: number
  clientUserId: number | null
  slotId: number
  entryId: number
  wave: number
}

type WaveResult =
  | { closed: 'too_close' | 'booked_otherwise'; expired: ExpiredOffer[] }
  | { closed: null; sent: SentOffer[]; withheld: { clientId: number; reason: ContactRefusal | 'no_recipient' }[] }

/** One wave of one slot, under its row lock; null when another worker holds it or it is not due. */
async function offerSlot(slotId: number, now: DateTime): Promise<WaveResult | null> {
  return db.transaction(async (trx) => {
    const slot = await WaitlistSlot.query({ client: trx })
      .where('id', slotId)
      .where('status', 'open')
      .withScopes((scopes) => scopes.dueAt(now))
      .forUpdate()
      .skipLocked()
      .first()
    if (!slot) return null

    const closeAs = async (closed: 'too_close' | 'booked_otherwise') => {
      slot.status = 'closed'
      slot.decidedAt = now
      await slot.save()
      return { closed, expired: await expireOpenOffers(trx, (query) => query.where('slot_id', slot.id), now) }
    }
    if (!offerableAt(slot.startsAt, now)) return closeAs('too_close')
    const booked = await Appointment.query({ client: trx })
      .withScopes((scopes) => {
        scopes.providedBy(slot.providerId)
        scopes.holdingTheirTime()
        scopes.overlapping(slot.startsAt, slot.endsAt)
      })
      .select('appointments.id')
      .first()
    if (booked) return closeAs('booked_otherwise')

    const entries = await matchingEntries(trx, slot, now)
    const wave = slot.waves + 1
    const sent: SentOffer[] = []
    const withheld: { clientId: number; reason: ContactRefusal | 'no_recipient' }[] = []
    const clients = await contactSubjects(trx, entries.map(({ entry }) => entry))
    const expiresAt = slot.startsAt.minus({ hours: OFFER_LEAD_HOURS })
    const settings = await PracticeSetting.current()

    for (const { entry, appointment } of entries) {
      const client = clients.get(entry.clientId)!
      const decision = mayContact(client, 'waitlist_offer')
      const recipients: AppointmentRecipient[] = decision.allowed
        ? ((await recipientsOf([client], { client: trx })).get(client.id) ?? [])
        : []
      if (!decision.allowed || !recipients.length) {
        await WaitlistOffer.create(
          { slotId: slot.id, entryId: entry.id, clientId: entry.clientId, wave, status: 'withheld', startsAt: slot.startsAt, expiresAt },
          { client: trx }
        )
        withheld.push({ clientId: entry.clientId, reason: decision.allowed ? 'no_recipient' : decision.reason })
        continue
      }
      for (const recipient of recipients) {
        const { token, tokenHash } = OneTimeToken.generate()
        const offer = await WaitlistOffer.create(
          {
            slotId: slot.id,
            entryId: entry.id,
            clientId: entry.clientId,
            wave,
            status: 'open',
            tokenHash,
            clientUserId: recipient.clientUserId,
            email: recipient.clientUserId === null ? recipient.email : null,
            startsAt: slot.startsAt,
            expiresAt,
          },
          { client: trx }
        )
        const i18n = mailI18n(recipient.locale)
        const intl = INTL_LOCALES[recipient.locale]
        const sender = settings.mailSenderName
        await enqueueMail(
          {
            template: 'waitlist_offer',
            to: recipient.email,
            discreet: decision.discreet,
            subject: decision.discreet
              ? discreetSubject('waitlist_offer', recipient.locale)
              : i18n.t('waitlist.mail.subject', { sender }),
            locale: recipient.locale,
            clientId: entry.clientId,
            data: {
              day: formatDate(slot.startsAt, intl),
              time: formatTime(slot.startsAt, intl),
              ownDay: formatDate(appointment.startsAt, intl),
              ownTime: formatTime(appointment.startsAt, intl),
              link: emailLink('portal.waitlist_offers.show', { token }),
              /** Its link ends 12 hours before the time: after that tokens:purge empties the stored mail. */
              linksExpireAt: expiresAt.toISO(),
              noAccount: recipient.clientUserId === null,
            },
          },
          { client: trx }
        )
        sent.push({ id: offer.id, clientId: entry.clientId, clientUserId: recipient.clientUserId, slotId: slot.id, entryId: entry.id, wave })
      }
    }

    slot.waves = wave
    // The next wave two hours on, but never after the last moment the slot may still be offered.
    slot.nextWaveAt = DateTime.min(now.plus({ hours: WAVE_HOURS }), expiresAt)
    await slot.save()
    return { closed: null, sent, withheld }
  })
}

/**
 * The next entries to offer a slot: waiting for its provider, their own
 * appointment still scheduled and later than the slot, the slot inside their
 * limits, the client active, not offered this slot yet; longest waiting first.
 */
async function matchingEntries(trx: TransactionClientContract, slot: WaitlistSlot, now: DateTime) {
  const { dayBit, partBit } = slotBits(slot.startsAt)
  const entries = await WaitlistEntry.query({ client: trx })
    .withScopes((scopes) => {
      scopes.waiting()
      scopes.longestWaitingFirst()
    })
    .innerJoin('appointments', 'appointments.id', 'waitlist_entries.appointment_id')
    .innerJoin('clients', 'clients.id', 'waitlist_entries.client_id')
    .where('waitlist_entries.provider_id', slot.providerId)
    .where('appointments.status', 'scheduled')
    .where('appointments.starts_at', '>', slot.startsAt.toISO()!)
    .where('appointments.starts_at', '>', now.toISO()!)
    .where('clients.status', 'active')
    .whereRaw('(waitlist_entries.days_of_week & ?) <> 0', [dayBit])
    .whereRaw('(waitlist_entries.parts_of_day & ?) <> 0', [partBit])
    .whereNotExists((offered) =>
      offered
        .from('waitlist_offers')
        .whereColumn('waitlist_offers.entry_id', 'waitlist_entries.id')
        .where('waitlist_offers.slot_id', slot.id)
    )
    // Whoever freed the slot just said they cannot come then: it is never offered back to them.
    .whereNotExists((own) =>
      own
        .from('appointments as freed')
        .where('freed.id', slot.freedAppointmentId)
        .whereColumn('freed.client_id', 'waitlist_entries.client_id')
    )
    .select('waitlist_entries.*')
    .limit(OFFERS_PER_WAVE)
  const appointments = await Appointment.query({ client: trx }).whereIn('appointments.id', entries.map((entry) => entry.appointmentId))
  const byId = new Map(appointments.map((appointment) => [appointment.id, appointment]))
  return entries.map((entry) => ({ entry, appointment: byId.get(entry.appointmentId)! }))
}

/** The entries' clients with `preference` set, for mayContact: one statement after the other on the one connection. */
async function contactSubjects(trx: TransactionClientContract, entries: WaitlistEntry[]) {
  const ids = [...new Set(entries.map((entry) => entry.clientId))]
  if (!ids.length) return new Map<number, Client>()
  const clients = await Client.query({ client: trx }).whereIn('clients.id', ids)
  const preferences = await ClientPreference.query({ client: trx }).whereIn('client_preferences.client_id', ids)
  const byClient = new Map(preferences.map((preference) => [preference.clientId, preference]))
  for (const found of clients) found.$setRelated('preference', byClient.get(found.id) ?? (null as never))
  return new Map(clients.map((found) => [found.id, found]))
}
