import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Appointment from '#models/appointment'
import PracticeSetting from '#models/practice_setting'
import WaitlistEntry from '#models/waitlist_entry'
import WaitlistOffer from '#models/waitlist_offer'
import WaitlistSlot from '#models/waitlist_slot'
import type Client from '#models/client'
import type ClientUser from '#models/client_user'
import type StaffUser from '#models/staff_user'
import { cancelAppointment } from '#actions/appointments/cancel_appointment'
import { runWaitlistPass } from '#actions/waitlist/send_waitlist_offers'
import { acceptWaitlistOffer } from '#actions/waitlist/accept_waitlist_offer'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { WebSession } from '#tests/helpers/web'
import { deliverAll, groupSmtpCapture, linksIn } from '#tests/helpers/mail'
import { signIn } from '#tests/helpers/sign_in'
import { auditRows, pathOf } from '#tests/helpers/onboarding'
import { SYSTEM_ACTOR } from '#support/actor'
import { figuresFor } from '#actions/insights/figures'
import { lastDays } from '#actions/insights/period'
import { inPractice } from '#support/practice_time'
import { daysMask, partsMask, type DayPart, type Weekday } from '#support/request_preferences'

/*
| The waitlist (issue #22) over the real database, real HTTP and a real SMTP
| server: joining, offers in waves with a controllable clock (`now` passed to
| the worker's pass), and the race to accept — exactly one booking.
*/

const machinery = () => db.connection('machinery')
const hour = () => DateTime.now().startOf('hour')
let spread = 0

/** A client waiting for an earlier time with `provider`: a portal account and an appointment `laterHours` ahead. */
async function waitingClient(
  provider: StaffUser,
  options: { laterHours?: number; days?: Weekday[]; parts?: DayPart[]; joinedMinutesAgo?: number; later?: DateTime } = {}
) {
  const client = await createClient()
  const account = await createPortalAccount(client)
  const later = await createAppointment(client, provider, {
    // Each client its own hour: a provider has one appointment at a time.
    startsAt: options.later ?? hour().plus({ hours: options.laterHours ?? 24 * 20 }).plus({ hours: ++spread }),
  })
  const entry = await WaitlistEntry.create({
    clientId: client.id,
    providerId: provider.id,
    appointmentId: later.id,
    clientUserId: account.id,
    daysOfWeek: options.days ? daysMask(options.days) : 127,
    partsOfDay: options.parts ? partsMask(options.parts) : 7,
  })
  // The order offers go in: who joined first.
  const createdAt = DateTime.now().minus({ minutes: options.joinedMinutesAgo ?? 0 })
  await machinery().from('waitlist_entries').where('id', entry.id).update({ created_at: createdAt.toISO() })
  return { client, account, later, entry }
}

/** Another client's appointment of `provider` at `startsAt`, cancelled by staff: the slot it frees. */
async function freeSlot(provider: StaffUser, startsAt: DateTime) {
  const other = await createClient()
  const appointment = await createAppointment(other, provider, { startsAt })
  const admin = await createStaff('admin')
  await cancelAppointment({ appointmentId: appointment.id, notLate: true }, { kind: 'staff', id: admin.id, ip: null, userAgent: null })
  return WaitlistSlot.query().where('freed_appointment_id', appointment.id).firstOrFail()
}

async function offersOf(slot: WaitlistSlot) {
  return WaitlistOffer.query().where('slot_id', slot.id).orderBy('id')
}

async function setMode(mode: 'view_only' | 'requests') {
  await machinery().from('practice_settings').where('id', 1).update({ scheduling_mode: mode })
  PracticeSetting.forget()
}

/** The raw token of an offer is only in its mail: read the queued mail's link. */
async function offerPath(offer: WaitlistOffer) {
  const row = await machinery()
    .from('mail_messages')
    .where('template', 'waitlist_offer')
    .whereRaw(`data->>'link' is not null`)
    .where('client_id', offer.clientId)
    .orderBy('id', 'desc')
    .first()
  return pathOf(String(row.data.link))
}

/** Holds `lockSql` in a transaction of its own until `release()`; `waitFor(n)` returns once n backends wait on a lock over `table`. */
async function holdLock(lockSql: string, bindings: any[]) {
  const trx = await machinery().transaction()
  await trx.rawQuery(lockSql, bindings)
  return {
    release: () => trx.rollback(),
    async waitFor(count: number, queryLike: string) {
      for (let attempt = 0; attempt < 20000; attempt++) {
        const { rows } = await machinery().rawQuery(
          `select pid from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and query ilike ?`,
          [`%${queryLike}%`]
        )
        if (rows.length >= count) return rows.map((row: { pid: number }) => row.pid) as number[]
        await new Promise((resolve) => setImmediate(resolve))
      }
      throw new Error(`Nobody waited on ${queryLike}`)
    },
  }
}

const scheduledAt = (provider: StaffUser, startsAt: DateTime) =>
  Appointment.query().where('provider_id', provider.id).where('starts_at', startsAt.toISO()!).where('status', 'scheduled')

test.group('Waitlist: joining and leaving (portal)', (group) => {
  group.each.teardown(() => setMode('requests'))

  test('a client joins from an upcoming appointment with limits, once per provider, and leaves', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient()
    const account = await createPortalAccount(client)
    const appointment = await createAppointment(client, provider, { startsAt: hour().plus({ days: 9 }) })
    const web = await signIn(account)

    const page = await web.get(`/portal/appointments/${appointment.id}`)
    assert.include(page.text, `href="/portal/appointments/${appointment.id}/waitlist"`)
    const form = await web.get(`/portal/appointments/${appointment.id}/waitlist`)
    assert.equal(form.status, 200)
    assert.include(form.text, 'Offer me an earlier time')

    const joined = await web.post(`/portal/appointments/${appointment.id}/waitlist`, { 'days[]': ['mon', 'wed'], 'parts[]': ['morning'] })
    assert.equal(joined.status, 302)
    const entry = await WaitlistEntry.query().where('client_id', client.id).firstOrFail()
    assert.equal(entry.providerId, provider.id)
    assert.equal(entry.appointmentId, appointment.id)
    assert.equal(entry.daysOfWeek, daysMask(['mon', 'wed']))
    assert.equal(entry.partsOfDay, partsMask(['morning']))
    assert.equal(entry.clientUserId, account.id)
    assert.lengthOf(await auditRows('portal.waitlist.joined', { client_id: client.id }), 1)

    // One entry per client and provider, also from the client's other appointment with them.
    const second = await createAppointment(client, provider, { startsAt: hour().plus({ days: 16 }) })
    const again = await web.post(`/portal/appointments/${second.id}/waitlist`, {})
    assert.equal(again.status, 302)
    assert.lengthOf(await WaitlistEntry.query().where('client_id', client.id), 1)
    const shown = await web.get(`/portal/appointments/${appointment.id}/waitlist`)
    assert.include(shown.text, 'You are on the waitlist')

    const left = await web.post(`/portal/waitlist/${entry.id}/leave`, {})
    assert.equal(left.status, 302)
    await entry.refresh()
    assert.equal(entry.status, 'ended')
    assert.equal(entry.endedReason, 'left')
    assert.lengthOf(await auditRows('portal.waitlist.left', { client_id: client.id }), 1)
  })

  test('no days or parts chosen: any day, any time', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient()
    const appointment = await createAppointment(client, provider, { startsAt: hour().plus({ days: 9 }) })
    const web = await signIn(await createPortalAccount(client))
    await web.get(`/portal/appointments/${appointment.id}/waitlist`)
    await web.post(`/portal/appointments/${appointment.id}/waitlist`, {})
    const entry = await WaitlistEntry.query().where('client_id', client.id).firstOrFail()
    assert.equal(entry.daysOfWeek, 127)
    assert.equal(entry.partsOfDay, 7)
  })

  test('a bad day is a calm error next to the field, nothing stored', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient()
    const appointment = await createAppointment(client, provider, { startsAt: hour().plus({ days: 9 }) })
    const web = await signIn(await createPortalAccount(client))
    await web.get(`/portal/appointments/${appointment.id}/waitlist`)
    const response = await web.follow(await web.post(`/portal/appointments/${appointment.id}/waitlist`, { 'days[]': ['someday'] }))
    assert.equal(response.status, 200)
    assert.include(response.text, 'id="field-days-error"')
    assert.lengthOf(await WaitlistEntry.query().where('client_id', client.id), 0)
  })

  test("another client's appointment or entry answers 404 and changes nothing", async ({ assert }) => {
    const provider = await createStaff('clinician')
    const mine = await createClient()
    const web = await signIn(await createPortalAccount(mine))
    const { entry, later } = await waitingClient(provider)

    assert.equal((await web.get(`/portal/appointments/${later.id}/waitlist`)).status, 404)
    await web.get('/portal/appointments')
    assert.equal((await web.post(`/portal/appointments/${later.id}/waitlist`, {})).status, 404)
    assert.equal((await web.post(`/portal/waitlist/${entry.id}/leave`, {})).status, 404)
    await entry.refresh()
    assert.equal(entry.status, 'waiting')
    assert.lengthOf(await WaitlistEntry.query().where('client_id', mine.id), 0)
  })

  test('the database refuses an entry for another client or a past appointment (RLS)', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const { client, account } = await waitingClient(provider)
    const other = await createClient()
    const othersAppointment = await createAppointment(other, provider, { startsAt: hour().plus({ days: 12 }) })
    const { beginClientTransaction } = await import('#portal/client_transaction')
    const trx = await beginClientTransaction(client.id, 'full')
    try {
      await assert.rejects(() =>
        trx.table('waitlist_entries').insert({
          client_id: client.id, provider_id: provider.id, appointment_id: othersAppointment.id, client_user_id: account.id,
        })
      )
    } finally {
      await trx.rollback()
    }
  })

  test('in view_only the waitlist is off: 404, nothing stored', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient()
    const appointment = await createAppointment(client, provider, { startsAt: hour().plus({ days: 9 }) })
    const web = await signIn(await createPortalAccount(client))
    await web.get('/portal/appointments')
    await setMode('view_only')
    assert.equal((await web.get(`/portal/appointments/${appointment.id}/waitlist`)).status, 404)
    assert.equal((await web.post(`/portal/appointments/${appointment.id}/waitlist`, {})).status, 404)
    assert.notInclude((await web.get(`/portal/appointments/${appointment.id}`)).text, '/waitlist')
    assert.lengthOf(await WaitlistEntry.query().where('client_id', client.id), 0)
  })
})

test.group('Waitlist: offers', (group) => {
  group.each.teardown(() => setMode('requests'))

  test('a cancellation frees a slot in the same transaction, whoever cancels', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const slot = await freeSlot(provider, hour().plus({ days: 3 }))
    assert.equal(slot.status, 'open')
    assert.equal(slot.providerId, provider.id)

    // The client cancelling through the portal (the portal role's transaction) frees one too.
    const client = await createClient()
    const appointment = await createAppointment(client, provider, { startsAt: hour().plus({ days: 4 }) })
    const web = await signIn(await createPortalAccount(client))
    await web.get(`/portal/appointments/${appointment.id}/confirm-or-cancel`)
    await web.post(`/portal/appointments/${appointment.id}/cancel`, {})
    assert.equal((await Appointment.findOrFail(appointment.id)).status, 'cancelled')
    assert.isNotNull(await WaitlistSlot.query().where('freed_appointment_id', appointment.id).first())
  })

  test('the 3 longest-waiting matching clients get an offer; two hours later the next ones', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const now = DateTime.now()
    const [first, second, third, fourth] = [
      await waitingClient(provider, { joinedMinutesAgo: 400 }),
      await waitingClient(provider, { joinedMinutesAgo: 300 }),
      await waitingClient(provider, { joinedMinutesAgo: 200 }),
      await waitingClient(provider, { joinedMinutesAgo: 100 }),
    ]
    // Not matching: another provider's waitlist, and a client whose own appointment is earlier than the slot.
    await waitingClient(await createStaff('clinician'), { joinedMinutesAgo: 900 })
    const earlier = await waitingClient(provider, { joinedMinutesAgo: 800, later: hour().plus({ days: 2 }) })

    const slot = await freeSlot(provider, hour().plus({ days: 5 }))
    await runWaitlistPass({ now })
    let offers = await offersOf(slot)
    assert.sameMembers(offers.map((offer) => offer.entryId), [first.entry.id, second.entry.id, third.entry.id])
    assert.isTrue(offers.every((offer) => offer.status === 'open' && offer.wave === 1))
    assert.notInclude(offers.map((offer) => offer.entryId), earlier.entry.id)
    const mails = await machinery().from('mail_messages').where('template', 'waitlist_offer').whereIn('client_id', [first.client.id, second.client.id, third.client.id, fourth.client.id])
    assert.lengthOf(mails, 3)
    assert.lengthOf(await auditRows('system.waitlist.offer_sent', { client_id: first.client.id }), 1)

    // Nobody accepted: nothing more within two hours…
    await runWaitlistPass({ now: now.plus({ minutes: 119 }) })
    assert.lengthOf(await offersOf(slot), 3)
    // …then the next ones (the earlier offers stand too: the first to accept gets it).
    await runWaitlistPass({ now: now.plus({ hours: 2 }) })
    offers = await offersOf(slot)
    assert.lengthOf(offers, 4)
    const last = offers.find((offer) => offer.entryId === fourth.entry.id)!
    assert.equal(last.wave, 2)
    assert.isTrue(offers.every((offer) => offer.status === 'open'))
  })

  test('a waiting client who cancels another appointment of theirs is not offered that slot back', async ({ assert }) => {
    const provider = await createStaff('clinician')
    // Waiting longest, with a second, earlier appointment of the same provider that they then cancel.
    const canceller = await waitingClient(provider, { joinedMinutesAgo: 500 })
    const other = await waitingClient(provider, { joinedMinutesAgo: 100 })
    const own = await createAppointment(canceller.client, provider, { startsAt: hour().plus({ days: 4 }) })
    const admin = await createStaff('admin')
    await cancelAppointment({ appointmentId: own.id, notLate: true }, { kind: 'staff', id: admin.id, ip: null, userAgent: null })
    const slot = await WaitlistSlot.query().where('freed_appointment_id', own.id).firstOrFail()

    await runWaitlistPass()
    const offered = (await offersOf(slot)).map((offer) => offer.entryId)
    assert.deepEqual(offered, [other.entry.id])
    assert.lengthOf(await machinery().from('mail_messages').where('template', 'waitlist_offer').where('client_id', canceller.client.id), 0)
  })

  test('the limits: days of the week and parts of the day in the practice time zone', async ({ assert }) => {
    const provider = await createStaff('clinician')
    // A Monday morning, 9:00 at the practice, more than a week ahead.
    const monday = inPractice(DateTime.now()).plus({ weeks: 1 }).set({ weekday: 1, hour: 9, minute: 0, second: 0, millisecond: 0 })
    const later = monday.plus({ weeks: 2 })
    const tuesdays = await waitingClient(provider, { days: ['tue'], later })
    const afternoons = await waitingClient(provider, { days: ['mon'], parts: ['afternoon', 'evening'], later: later.plus({ hours: 2 }) })
    const mondayMornings = await waitingClient(provider, { days: ['mon', 'fri'], parts: ['morning'], later: later.plus({ hours: 4 }) })
    const slot = await freeSlot(provider, monday)
    await runWaitlistPass()
    const offered = (await offersOf(slot)).map((offer) => offer.entryId)
    assert.deepEqual(offered, [mondayMornings.entry.id])
    assert.notInclude(offered, tuesdays.entry.id)
    assert.notInclude(offered, afternoons.entry.id)
  })

  test('the 12-hour rule: a slot less than 12 hours ahead is never offered; one that gets too close closes and its offers expire', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const waiting = await waitingClient(provider)
    const now = DateTime.now()
    const close = await freeSlot(provider, hour().plus({ hours: 11 }))
    await runWaitlistPass({ now })
    assert.lengthOf(await offersOf(close), 0)
    assert.equal((await WaitlistSlot.findOrFail(close.id)).status, 'closed')

    const soon = await freeSlot(provider, now.plus({ hours: 13 }).startOf('minute'))
    await runWaitlistPass({ now })
    const [offer] = await offersOf(soon)
    assert.equal(offer.entryId, waiting.entry.id)
    // Its link works until 12 hours before the time.
    assert.equal(offer.expiresAt.toMillis(), soon.startsAt.minus({ hours: 12 }).toMillis())
    // The second wave would come 2 hours later: by then the slot is under 12 hours away.
    await runWaitlistPass({ now: now.plus({ hours: 2 }) })
    assert.equal((await WaitlistSlot.findOrFail(soon.id)).status, 'closed')
    assert.equal((await WaitlistOffer.findOrFail(offer.id)).status, 'expired')
    const [expired] = await auditRows('system.waitlist.offer_expired', { client_id: waiting.client.id })
    assert.deepEqual(expired.detail, { offerId: offer.id, slotId: soon.id, reason: 'too_close' })
    // Accepting it now books nothing.
    const result = await acceptWaitlistOffer({ offerId: offer.id, accountId: waiting.account.id }, SYSTEM_ACTOR, { now: now.plus({ hours: 2 }) })
    assert.equal(result.outcome, 'gone')
  })

  test('a slot booked another way closes without offers', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const waiting = await waitingClient(provider)
    const startsAt = hour().plus({ days: 4 })
    const slot = await freeSlot(provider, startsAt)
    await createAppointment(await createClient(), provider, { startsAt })
    await runWaitlistPass()
    assert.lengthOf(await offersOf(slot), 0)
    assert.equal((await WaitlistSlot.findOrFail(slot.id)).status, 'closed')
    assert.equal((await WaitlistEntry.findOrFail(waiting.entry.id)).status, 'waiting')
  })

  test('mayContact: no email consent withholds the offer, recorded; the next client gets it', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const refusing = await waitingClient(provider, { joinedMinutesAgo: 50 })
    await machinery().from('client_preferences').where('client_id', refusing.client.id).update({ consent_email: false })
    const others = [await waitingClient(provider, { joinedMinutesAgo: 40 }), await waitingClient(provider, { joinedMinutesAgo: 30 }), await waitingClient(provider, { joinedMinutesAgo: 20 })]
    const slot = await freeSlot(provider, hour().plus({ days: 6 }))
    await runWaitlistPass()
    const offers = await offersOf(slot)
    assert.equal(offers.find((offer) => offer.entryId === refusing.entry.id)?.status, 'withheld')
    assert.lengthOf(offers.filter((offer) => offer.status === 'open'), 2)
    assert.lengthOf(await machinery().from('mail_messages').where('template', 'waitlist_offer').where('client_id', refusing.client.id), 0)
    const [withheld] = await auditRows('system.contact.withheld', { client_id: refusing.client.id })
    assert.deepEqual(withheld.detail, { kind: 'waitlist_offer', reason: 'no_email_consent', appointmentId: null })
    assert.isDefined(others)
  })

  test('in view_only nothing is offered', async ({ assert }) => {
    const provider = await createStaff('clinician')
    await waitingClient(provider)
    const slot = await freeSlot(provider, hour().plus({ days: 6 }))
    await setMode('view_only')
    await runWaitlistPass()
    assert.lengthOf(await offersOf(slot), 0)
  })

  test('entries end when their appointment passes or is cancelled, or the client leaves active', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const passing = await waitingClient(provider, { later: hour().plus({ days: 2 }) })
    const cancelled = await waitingClient(provider)
    const inactive = await waitingClient(provider)
    await machinery().from('appointments').where('id', cancelled.later.id).update({ status: 'cancelled' })
    await machinery().from('clients').where('id', inactive.client.id).update({ status: 'inactive' })
    await runWaitlistPass({ now: DateTime.now().plus({ days: 3 }) })
    assert.equal((await WaitlistEntry.findOrFail(passing.entry.id)).endedReason, 'passed')
    assert.equal((await WaitlistEntry.findOrFail(cancelled.entry.id)).endedReason, 'cancelled')
    assert.equal((await WaitlistEntry.findOrFail(inactive.entry.id)).endedReason, 'inactive')
  })
})

test.group('Waitlist: accepting', (group) => {
  const capture = groupSmtpCapture(group)
  group.each.teardown(() => setMode('requests'))

  /** Two waiting clients with an open offer each for one freed slot. */
  async function contest() {
    const provider = await createStaff('clinician')
    const a = await waitingClient(provider, { joinedMinutesAgo: 20 })
    const b = await waitingClient(provider, { joinedMinutesAgo: 10 })
    const slot = await freeSlot(provider, hour().plus({ days: 3 }))
    await runWaitlistPass()
    const offers = await offersOf(slot)
    const offerOf = (entry: WaitlistEntry) => offers.find((offer) => offer.entryId === entry.id)!
    return { provider, slot, a: { ...a, offer: offerOf(a.entry) }, b: { ...b, offer: offerOf(b.entry) } }
  }

  test('the mailed link: opening changes nothing; taking it books the time and moves the later appointment in one go, with both notices', async ({ assert }) => {
    const { provider, slot, a, b } = await contest()
    await deliverAll()
    const [mail] = capture.to(a.account.email)
    assert.isDefined(mail)
    assert.equal(mail.subject, `An earlier appointment time from ${(await PracticeSetting.current()).mailSenderName}`)
    const link = linksIn(mail).find((url) => url.includes('/portal/waitlist-offers/'))!
    const path = pathOf(link)

    const web = new WebSession()
    const page = await web.get(path)
    assert.equal(page.status, 200)
    assert.include(page.text, 'Take this time')
    await web.get(path)
    assert.equal((await WaitlistSlot.findOrFail(slot.id)).status, 'open')
    assert.equal((await Appointment.findOrFail(a.later.id)).status, 'scheduled')

    const taken = await web.post(path, {})
    assert.equal(taken.status, 200)
    assert.include(taken.text, 'This time is yours')
    const booked = await scheduledAt(provider, slot.startsAt).firstOrFail()
    assert.equal(booked.clientId, a.client.id)
    assert.equal(booked.appointmentTypeId, a.later.appointmentTypeId)
    const later = await Appointment.findOrFail(a.later.id)
    assert.equal(later.status, 'cancelled')
    assert.equal(later.cancelledByKind, 'client')
    assert.equal(later.cancelledById, a.account.id)
    assert.equal(later.movedToAppointmentId, booked.id)
    assert.equal((await WaitlistEntry.findOrFail(a.entry.id)).endedReason, 'moved')
    assert.equal((await WaitlistSlot.findOrFail(slot.id)).status, 'taken')
    assert.equal((await WaitlistOffer.findOrFail(a.offer.id)).status, 'accepted')
    assert.equal((await WaitlistOffer.findOrFail(b.offer.id)).status, 'missed')

    // The usual notices: the later one's calendar entry cancelled, the new one's added.
    const notices = await machinery().from('mail_messages').where('template', 'appointment_notice').where('client_id', a.client.id)
    assert.sameMembers(notices.map((row) => `${row.data.notice}:${row.data.calendarMethod}`), ['cancelled:CANCEL', 'booked:REQUEST'])
    const [accepted] = await auditRows('portal.waitlist.offer_accepted', { client_id: a.client.id })
    assert.deepEqual(accepted.detail, { offerId: a.offer.id, slotId: slot.id, entryId: a.entry.id, appointmentId: booked.id, movedFromAppointmentId: a.later.id })
    assert.lengthOf(await auditRows('system.waitlist.offer_expired', { client_id: b.client.id }), 1)

    // The other client, a moment later: calmly told, nothing booked.
    const other = new WebSession()
    const otherPath = pathOf(linksIn(capture.to(b.account.email)[0]).find((url) => url.includes('/portal/waitlist-offers/'))!)
    const late = await other.get(otherPath)
    assert.include(late.text, 'Someone else took this time')
    // No button any more; a POST all the same (a page left open) books nothing.
    await other.get('/portal/login')
    const refused = await other.post(otherPath, {})
    assert.include(refused.text, 'Someone else took this time')
    assert.equal((await Appointment.findOrFail(b.later.id)).status, 'scheduled')
    assert.lengthOf(await scheduledAt(provider, slot.startsAt), 1)
  })

  test('twenty rounds of two clients accepting at once, released together: exactly one booking each round', async ({ assert }) => {
    for (let round = 0; round < 20; round++) {
      const { provider, slot, a, b } = await contest()
      const paths = [await offerPath(a.offer), await offerPath(b.offer)]
      const sessions = [new WebSession(), new WebSession()]
      for (const [index, web] of sessions.entries()) await web.get(paths[index])

      // The barrier: the slot's row is held; both requests queue on it; then both go at once.
      const barrier = await holdLock('select id from waitlist_slots where id = ? for update', [slot.id])
      const responses = sessions.map((web, index) => web.post(paths[index], {}))
      await barrier.waitFor(2, 'waitlist_slots')
      await barrier.release()
      const texts = (await Promise.all(responses)).map((response) => response.text)

      assert.lengthOf(texts.filter((text) => text.includes('This time is yours')), 1, `round ${round}`)
      assert.lengthOf(texts.filter((text) => text.includes('Someone else took this time')), 1, `round ${round}`)
      const booked = await scheduledAt(provider, slot.startsAt)
      assert.lengthOf(booked, 1, `round ${round}`)
      const winner = booked[0].clientId === a.client.id ? a : b
      const loser = winner === a ? b : a
      assert.equal((await Appointment.findOrFail(winner.later.id)).status, 'cancelled')
      assert.equal((await Appointment.findOrFail(loser.later.id)).status, 'scheduled')
      assert.equal((await WaitlistEntry.findOrFail(loser.entry.id)).status, 'waiting')
    }
  })

  test('insights count the slots refilled from the waitlist', async ({ assert }) => {
    const { a } = await contest()
    const admin = await createStaff('admin')
    const count = async () => (await figuresFor({ id: admin.id, role: 'admin' }, lastDays(30), { now: DateTime.now(), dropOffDays: 45 })).waitlistRefills
    const before = await count()
    assert.equal((await acceptWaitlistOffer({ offerId: a.offer.id, accountId: a.account.id }, SYSTEM_ACTOR)).outcome, 'accepted')
    assert.equal(await count(), before + 1)
    const page = await (await signIn(admin)).get('/insights')
    assert.include(page.text, 'Refilled from the waitlist')
  })

  test('a transaction killed midway leaves neither change', async ({ assert }) => {
    const { provider, slot, a } = await contest()
    const noticesBefore = await machinery().from('mail_messages').where('client_id', a.client.id).count('* as total')
    // Hold the entry: the accept has cancelled and booked when it reaches it, then waits.
    const hold = await holdLock('select id from waitlist_entries where id = ? for update', [a.entry.id])
    // Settled into a value at once: the rejection comes while the test awaits the terminate,
    // and a rejection with no handler yet fails the whole run as "unhandled".
    const accepting = acceptWaitlistOffer({ offerId: a.offer.id, accountId: a.account.id }, SYSTEM_ACTOR).then(
      () => null,
      (error: Error) => error
    )
    const [pid] = await hold.waitFor(1, 'update "waitlist_entries"')
    await machinery().rawQuery('select pg_terminate_backend(?)', [pid])
    const failure = await accepting
    assert.instanceOf(failure, Error)
    assert.match(failure!.message, /terminating connection/)
    await hold.release()

    assert.equal((await Appointment.findOrFail(a.later.id)).status, 'scheduled')
    assert.lengthOf(await Appointment.query().where('provider_id', provider.id).where('starts_at', slot.startsAt.toISO()!).whereNot('status', 'cancelled'), 0)
    assert.equal((await WaitlistSlot.findOrFail(slot.id)).status, 'open')
    assert.equal((await WaitlistOffer.findOrFail(a.offer.id)).status, 'open')
    assert.equal((await WaitlistEntry.findOrFail(a.entry.id)).status, 'waiting')
    const noticesAfter = await machinery().from('mail_messages').where('client_id', a.client.id).count('* as total')
    assert.deepEqual(noticesAfter, noticesBefore)
    // And it still works afterwards.
    const result = await acceptWaitlistOffer({ offerId: a.offer.id, accountId: a.account.id }, SYSTEM_ACTOR)
    assert.equal(result.outcome, 'accepted')
  })

  test('after leaving the waitlist the link books nothing', async ({ assert }) => {
    const { provider, slot, a } = await contest()
    const path = await offerPath(a.offer)
    const web = await signIn(a.account)
    await web.get(`/portal/appointments/${a.later.id}/waitlist`)
    await web.post(`/portal/waitlist/${a.entry.id}/leave`, {})
    const link = new WebSession()
    assert.include((await link.get(path)).text, 'This offer is no longer available')
    // No button any more; a POST all the same (a page left open) books nothing.
    await link.get('/portal/login')
    const response = await link.post(path, {})
    assert.include(response.text, 'This offer is no longer available')
    assert.lengthOf(await scheduledAt(provider, slot.startsAt), 0)
    assert.equal((await Appointment.findOrFail(a.later.id)).status, 'scheduled')
  })

  test("an offer naming another client's entry, an ended link or an unknown token never books", async ({ assert }) => {
    const { provider, slot, a, b } = await contest()
    const path = await offerPath(a.offer)
    // The offer row pointed at another client's entry: the client's own RLS transaction cannot read it.
    await machinery().from('waitlist_offers').where('id', a.offer.id).update({ entry_id: b.entry.id })
    const web = new WebSession()
    assert.equal((await web.get(path)).status, 404)
    await web.get('/portal/login')
    assert.equal((await web.post(path, {})).status, 404)
    assert.lengthOf(await scheduledAt(provider, slot.startsAt), 0)
    await machinery().from('waitlist_offers').where('id', a.offer.id).update({ entry_id: a.entry.id })

    // The recipient's access ended: the link does nothing.
    await machinery().from('client_user_links').where('client_user_id', a.account.id).update({ ended_at: new Date() })
    assert.equal((await new WebSession().get(path)).status, 404)
    assert.equal((await new WebSession().get('/portal/waitlist-offers/unknown-token')).status, 404)
    assert.lengthOf(await scheduledAt(provider, slot.startsAt), 0)
    assert.equal((await Appointment.findOrFail(a.later.id)).status, 'scheduled')
  })

  test('in view_only the offer link answers 404 and books nothing', async ({ assert }) => {
    const { provider, slot, a } = await contest()
    const path = await offerPath(a.offer)
    const web = new WebSession()
    await web.get(path)
    await setMode('view_only')
    assert.equal((await web.get(path)).status, 404)
    assert.equal((await web.post(path, {})).status, 404)
    assert.lengthOf(await scheduledAt(provider, slot.startsAt), 0)
  })
})

test.group('Waitlist: staff', () => {
  test('staff see the waitlist per clinician and remove an entry (audited); a clinician only her own', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const { entry, client } = await waitingClient(provider)
    const admin = await signIn(await createStaff('admin'))
    const list = await admin.get(`/appointments/waitlist?provider=${provider.id}`)
    assert.equal(list.status, 200)
    assert.include(list.text, `id="waitlist-entry-${entry.id}"`)

    const colleague = await signIn(await createStaff('clinician'))
    const theirs = await colleague.get('/appointments/waitlist')
    assert.notInclude(theirs.text, `id="waitlist-entry-${entry.id}"`)
    assert.equal((await colleague.post(`/appointments/waitlist/${entry.id}/remove`, {})).status, 404)
    assert.equal((await WaitlistEntry.findOrFail(entry.id)).status, 'waiting')

    const removed = await admin.post(`/appointments/waitlist/${entry.id}/remove`, {})
    assert.equal(removed.status, 302)
    const ended = await WaitlistEntry.findOrFail(entry.id)
    assert.equal(ended.endedReason, 'removed')
    assert.lengthOf(await auditRows('staff.waitlist.entry_removed', { client_id: client.id }), 1)
  })
})

test.group('Waitlist: staff add a client ("Offer an earlier time")', (group) => {
  group.each.teardown(() => setMode('requests'))

  test('from the appointment page, with limits: the entry appears on the waitlist, audited as staff', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient()
    const appointment = await createAppointment(client, provider, { startsAt: hour().plus({ days: 11 }) })
    const staff = await createStaff('support_staff')
    const web = await signIn(staff)

    const page = await web.get(`/appointments/${appointment.id}`)
    assert.include(page.text, 'id="offer-earlier"')
    assert.include(page.text, `action="/appointments/${appointment.id}/waitlist"`)
    const added = await web.post(`/appointments/${appointment.id}/waitlist`, { 'days[]': ['tue', 'thu'], 'parts[]': ['afternoon', 'evening'] })
    assert.equal(added.status, 302)
    assert.equal(added.location, `/appointments/${appointment.id}`)

    const entry = await WaitlistEntry.query().where('client_id', client.id).firstOrFail()
    assert.equal(entry.status, 'waiting')
    assert.equal(entry.providerId, provider.id)
    assert.equal(entry.appointmentId, appointment.id)
    assert.equal(entry.addedById, staff.id)
    assert.isNull(entry.clientUserId)
    assert.equal(entry.daysOfWeek, daysMask(['tue', 'thu']))
    assert.equal(entry.partsOfDay, partsMask(['afternoon', 'evening']))
    const [row] = await auditRows('staff.waitlist.entry_added', { client_id: client.id })
    assert.equal(row.actor_kind, 'staff')
    assert.equal(Number(row.actor_id), staff.id)
    assert.deepInclude(row.detail, { entryId: entry.id, appointmentId: appointment.id, daysOfWeek: entry.daysOfWeek, partsOfDay: entry.partsOfDay })

    const shown = await web.get(`/appointments/${appointment.id}`)
    assert.include(shown.text, 'The client is on the waitlist.')
    assert.include(shown.text, 'id="offer-earlier-waiting"')
    const list = await web.get(`/appointments/waitlist?provider=${provider.id}`)
    assert.include(list.text, `id="waitlist-entry-${entry.id}"`)
    assert.include(list.text, 'Tue, Thu · afternoon, evening')
  })

  test('an entry staff added gets offers like any other (no portal account: the client\'s email)', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient()
    const appointment = await createAppointment(client, provider, { startsAt: hour().plus({ days: 21 }) })
    const web = await signIn(await createStaff('admin'))
    await web.get(`/appointments/${appointment.id}`)
    await web.post(`/appointments/${appointment.id}/waitlist`, {})
    const entry = await WaitlistEntry.query().where('client_id', client.id).firstOrFail()
    assert.equal(entry.daysOfWeek, 127)
    assert.equal(entry.partsOfDay, 7)

    const slot = await freeSlot(provider, hour().plus({ days: 4 }))
    await runWaitlistPass({ now: DateTime.now() })
    const offers = await offersOf(slot)
    assert.deepEqual(offers.map((offer) => offer.entryId), [entry.id])
  })

  test('the client already waiting for this clinician: a calm "already waiting", one entry', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const { client, entry } = await waitingClient(provider)
    const other = await createAppointment(client, provider, { startsAt: hour().plus({ days: 6 }) })
    // The provider herself may, as she may reschedule it.
    const web = await signIn(provider)
    const page = await web.get(`/appointments/${other.id}`)
    assert.include(page.text, 'id="offer-earlier-waiting"')
    const again = await web.follow(await web.post(`/appointments/${other.id}/waitlist`, { 'days[]': ['mon'] }))
    assert.equal(again.status, 200)
    assert.include(again.text, 'This client is already waiting for an earlier time with this clinician; nothing changed.')
    const entries = await WaitlistEntry.query().where('client_id', client.id)
    assert.deepEqual(entries.map((row) => row.id), [entry.id])
    assert.equal(entries[0].daysOfWeek, 127)
    assert.lengthOf(await auditRows('staff.waitlist.entry_added', { client_id: client.id }), 0)
  })

  test('a clinician outside the caseload gets 404 and nothing changes', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: provider.id })
    const appointment = await createAppointment(client, provider, { startsAt: hour().plus({ days: 9 }) })
    const outsider = await signIn(await createStaff('clinician'))
    assert.equal((await outsider.get(`/appointments/${appointment.id}`)).status, 404)
    await outsider.get('/dashboard')
    assert.equal((await outsider.post(`/appointments/${appointment.id}/waitlist`, {})).status, 404)
    assert.lengthOf(await WaitlistEntry.query().where('client_id', client.id), 0)
    assert.lengthOf(await auditRows('staff.waitlist.entry_added', { client_id: client.id }), 0)
  })

  test('in view_only it is off: the page says why, the form changes nothing', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient()
    const appointment = await createAppointment(client, provider, { startsAt: hour().plus({ days: 9 }) })
    const web = await signIn(await createStaff('admin'))
    await web.get(`/appointments/${appointment.id}`)
    await setMode('view_only')
    const page = await web.get(`/appointments/${appointment.id}`)
    assert.include(page.text, 'id="offer-earlier-off"')
    assert.include(page.text, 'scheduling mode is View only')
    assert.notInclude(page.text, `action="/appointments/${appointment.id}/waitlist"`)
    const refused = await web.follow(await web.post(`/appointments/${appointment.id}/waitlist`, {}))
    assert.equal(refused.status, 200)
    assert.include(refused.text, 'The waitlist is off')
    assert.include(refused.text, 'Nothing changed.')
    assert.lengthOf(await WaitlistEntry.query().where('client_id', client.id), 0)
  })

  test('a bad day is a calm error next to the field; a past or cancelled appointment or an inactive client adds nothing', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient()
    const appointment = await createAppointment(client, provider, { startsAt: hour().plus({ days: 9 }) })
    const web = await signIn(await createStaff('admin'))
    await web.get(`/appointments/${appointment.id}`)
    const bad = await web.follow(await web.post(`/appointments/${appointment.id}/waitlist`, { 'days[]': ['someday'], 'parts[]': ['morning'] }))
    assert.equal(bad.status, 200)
    assert.include(bad.text, '<p class="field-error" id="waitlist-days-error">Please choose days from the list.</p>')
    assert.include(bad.text, 'id="waitlist-parts-morning" name="parts[]" value="morning" checked')
    assert.lengthOf(await WaitlistEntry.query().where('client_id', client.id), 0)

    const past = await createAppointment(client, provider, { startsAt: hour().minus({ days: 2 }) })
    assert.notInclude((await web.get(`/appointments/${past.id}`)).text, 'id="offer-earlier"')
    const pastTry = await web.follow(await web.post(`/appointments/${past.id}/waitlist`, {}))
    assert.include(pastTry.text, 'Only a scheduled appointment still to come can be moved to an earlier time. Nothing changed.')

    const cancelled = await createAppointment(client, provider, { startsAt: hour().plus({ days: 14 }), status: 'cancelled' })
    await web.get(`/appointments/${cancelled.id}`)
    await web.post(`/appointments/${cancelled.id}/waitlist`, {})

    await machinery().from('clients').where('id', client.id).update({ status: 'inactive' })
    const inactivePage = await web.get(`/appointments/${appointment.id}`)
    assert.include(inactivePage.text, 'The client is not active, so they cannot be offered earlier times.')
    await web.post(`/appointments/${appointment.id}/waitlist`, {})
    assert.lengthOf(await WaitlistEntry.query().where('client_id', client.id), 0)
    assert.lengthOf(await auditRows('staff.waitlist.entry_added', { client_id: client.id }), 0)
  })
})

export type { Client, ClientUser }
