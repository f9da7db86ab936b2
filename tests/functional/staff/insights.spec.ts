import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { randomUUID } from 'node:crypto'
import practice from '#config/practice'
import type Client from '#models/client'
import type StaffUser from '#models/staff_user'
import type { AppointmentStatus, CancelledByKind } from '#models/appointment'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { WebSession } from '#tests/helpers/web'
import { customDays, lastDays } from '#actions/insights/period'
import {
  figuresFor,
  forgetInsightRollup,
  monthHeadlines,
  outreachFor,
  refreshInsightRollup,
  type Figures,
} from '#actions/insights/figures'
import { runCommand } from '#tests/helpers/ace'
import JobsWork from '../../../app/commands/jobs_work.js'

/*
| A fixture practice counted by hand (issue #21 "Correctness"). It lives in
| the first quarter of 2019, which no other test writes into, with two
| clinicians of its own: practice-wide figures for that quarter are this
| fixture's alone, and the clinician's view is checked against her caseload.
| Every expected number below is a literal, counted from this table:
|
| Clinician A (primary clinician of all six; provides every appointment below):
|   P1 portal (signed in 3 days ago)  Jan 7 att, Jan 14 att (reminder sent), Jan 21 no-show
|                                     (reminder failed: no reminder), Mar 4 att, Mar 11 att
|   P2 portal (signed in 60 days ago) Feb 4 att (rem), Feb 11 att (rem), Feb 18 late (rem), Mar 6 no-show
|   N1 no portal, invited             Jan 8 att, Jan 15 no-show, Jan 31 23:30 local late cancel,
|                                     Feb 5 att, Mar 5 no-show
|   N2 no portal (invitation revoked) Jan 9 cancelled by client, Jan 10 by the practice,
|                                     Jan 11 by unknown, Feb 6 not recorded, Feb 7 no-show (rem)
|   D                                 Jan 2 att
|   Q discharged                      Jan 3 att
| Clinician B: client X              Feb 16 att, Mar 20 no-show
*/

const PERIOD = { from: '2019-01-01', to: '2019-03-31' }
const local = (text: string) => DateTime.fromISO(text, { zone: practice.timeZone })

interface Fixture {
  clinicianA: StaffUser
  clinicianB: StaffUser
  clients: Record<'P1' | 'P2' | 'N1' | 'N2' | 'D' | 'Q' | 'X', Client>
}

let fixture: Promise<Fixture> | null = null

async function sentReminder(appointmentId: number, status: 'sent' | 'failed' = 'sent') {
  const [mail] = await db
    .table('mail_messages')
    .insert({
      template: 'appointment_reminder',
      recipient: 'reminder@fixture.test',
      subject: 'Reminder',
      message_id: `<${randomUUID()}@fixture.test>`,
      status,
      sent_at: status === 'sent' ? new Date() : null,
    })
    .returning('id')
  const appointment = await db.from('appointments').where('id', appointmentId).firstOrFail()
  await db.table('appointment_reminders').insert({
    appointment_id: appointmentId,
    starts_at: appointment.starts_at,
    mail_message_id: mail.id,
    recipient_email: 'reminder@fixture.test',
  })
}

function buildFixture() {
  fixture ??= (async () => {
    const clinicianA = await createStaff('clinician', { name: `Insights Clinician A ${randomUUID().slice(0, 6)}` })
    const clinicianB = await createStaff('clinician', { name: `Insights Clinician B ${randomUUID().slice(0, 6)}` })
    const ofA = { primaryClinicianId: clinicianA.id }
    const clients = {
      P1: await createClient(ofA),
      P2: await createClient(ofA),
      N1: await createClient(ofA),
      N2: await createClient(ofA),
      D: await createClient(ofA),
      Q: await createClient({ ...ofA, status: 'discharged' }),
      X: await createClient({ primaryClinicianId: clinicianB.id }),
    }
    const p1Account = await createPortalAccount(clients.P1)
    await db.from('client_users').where('id', p1Account.id).update({ last_sign_in_at: DateTime.now().minus({ days: 3 }).toJSDate() })
    const p2Account = await createPortalAccount(clients.P2)
    await db.from('client_users').where('id', p2Account.id).update({ last_sign_in_at: DateTime.now().minus({ days: 60 }).toJSDate() })
    const invitation = (client: Client, revoked: boolean) => ({
      client_id: client.id,
      email: `invited-${client.id}@fixture.test`,
      relationship: 'self',
      token_hash: randomUUID(),
      expires_at: new Date(),
      revoked_at: revoked ? new Date() : null,
    })
    await db.table('portal_invitations').multiInsert([invitation(clients.N1, false), invitation(clients.N2, true)])

    const book = async (
      client: Client,
      when: string,
      status: AppointmentStatus,
      { by = clinicianA, cancelledBy = null, reminder }: { by?: StaffUser; cancelledBy?: CancelledByKind | null; reminder?: 'sent' | 'failed' } = {}
    ) => {
      const appointment = await createAppointment(client, by, { startsAt: local(when), status, cancelledByKind: cancelledBy })
      if (reminder) await sentReminder(appointment.id, reminder)
    }
    await book(clients.P1, '2019-01-07T10:00', 'completed')
    await book(clients.P1, '2019-01-14T10:00', 'completed', { reminder: 'sent' })
    await book(clients.P1, '2019-01-21T10:00', 'no_show', { reminder: 'failed' })
    await book(clients.P1, '2019-03-04T10:00', 'completed')
    await book(clients.P1, '2019-03-11T10:00', 'completed')
    await book(clients.P2, '2019-02-04T10:00', 'completed', { reminder: 'sent' })
    await book(clients.P2, '2019-02-11T10:00', 'completed', { reminder: 'sent' })
    await book(clients.P2, '2019-02-18T10:00', 'late_cancelled', { cancelledBy: 'client', reminder: 'sent' })
    await book(clients.P2, '2019-03-06T10:00', 'no_show')
    await book(clients.N1, '2019-01-08T10:00', 'completed')
    await book(clients.N1, '2019-01-15T10:00', 'no_show')
    // 23:30 on the last day of January in the practice's zone: already February in UTC, still January here.
    await book(clients.N1, '2019-01-31T23:30', 'late_cancelled', { cancelledBy: 'practice' })
    await book(clients.N1, '2019-02-05T10:00', 'completed')
    await book(clients.N1, '2019-03-05T10:00', 'no_show')
    await book(clients.N2, '2019-01-09T10:00', 'cancelled', { cancelledBy: 'client' })
    await book(clients.N2, '2019-01-10T10:00', 'cancelled', { cancelledBy: 'practice' })
    await book(clients.N2, '2019-01-11T10:00', 'cancelled')
    await book(clients.N2, '2019-02-06T10:00', 'scheduled')
    await book(clients.N2, '2019-02-07T10:00', 'no_show', { reminder: 'sent' })
    await book(clients.D, '2019-01-02T10:00', 'completed')
    await book(clients.Q, '2019-01-03T10:00', 'completed')
    await book(clients.X, '2019-02-16T10:00', 'completed', { by: clinicianB })
    await book(clients.X, '2019-03-20T10:00', 'no_show', { by: clinicianB })
    return { clinicianA, clinicianB, clients }
  })()
  return fixture
}

const NOW = () => DateTime.now()
const DROP_OFF_DAYS = 45
const period = () => customDays(PERIOD.from, PERIOD.to)
const viewerOf = (staff: StaffUser) => ({ id: staff.id, role: staff.role })
const periodUrl = (path: string) => `${path}?period=custom&from=${PERIOD.from}&to=${PERIOD.to}`

/** The cell texts of the table row whose header is `rowHeader`. */
function rowCells(html: string, rowHeader: string) {
  const row = html.split('<tr>').find((part) => new RegExp(`<th scope="row">(<a [^>]*>)?${rowHeader}`).test(part))
  if (!row) return null
  return [...row.matchAll(/<td>([^<]*)<\/td>/g)].map((match) => match[1].trim())
}

test.group('Insights: the figures, counted by hand', (group) => {
  group.setup(async () => {
    await buildFixture()
    // Counted live: a worker test may have built the rollup before this fixture existed.
    await forgetInsightRollup()
  })

  test('the clinician sees her caseload: outcomes by month, rates, not recorded left out', async ({ assert }) => {
    const { clinicianA } = await buildFixture()
    const figures = await figuresFor(viewerOf(clinicianA), period(), { now: NOW(), dropOffDays: DROP_OFF_DAYS })

    assert.isFalse(figures.wholePractice)
    assert.deepEqual(
      figures.months.map((row) => [row.month, row.attended, row.noShow, row.lateCancelled, row.cancelledByPractice, row.cancelledByClient, row.cancelledByUnknown, row.notRecorded, row.noShowRate.text, row.lateCancelRate.text]),
      [
        // The 23:30 late cancellation of January 31 is January's.
        ['2019-01', 5, 2, 1, 1, 1, 1, 0, '25.0 %', '12.5 %'],
        ['2019-02', 3, 1, 1, 0, 0, 0, 1, '20.0 %', '20.0 %'],
        ['2019-03', 2, 2, 0, 0, 0, 0, 0, '50.0 %', '0.0 %'],
      ]
    )
    assert.equal(figures.total.noShowRate.text, '29.4 %')
    assert.equal(figures.total.noShowRate.denominator, 17)
    assert.equal(figures.total.lateCancelRate.text, '11.8 %')
    assert.equal(figures.total.notRecorded, 1)
    assert.deepEqual(figures.byClinician, [])
  })

  test('the portal and reminder splits, with the appointments behind each rate', async ({ assert }) => {
    const { clinicianA } = await buildFixture()
    const figures = await figuresFor(viewerOf(clinicianA), period(), { now: NOW(), dropOffDays: DROP_OFF_DAYS })

    assert.deepEqual(
      [figures.portal.with, figures.portal.without, figures.reminder.with, figures.reminder.without].map((row) => [
        row.noShowRate.text,
        row.lateCancelRate.text,
        row.noShowRate.denominator,
      ]),
      [
        ['22.2 %', '11.1 %', 9],
        ['37.5 %', '12.5 %', 8],
        // A reminder whose mail failed is no reminder (P1, January 21).
        ['20.0 %', '20.0 %', 5],
        ['33.3 %', '8.3 %', 12],
      ]
    )
  })

  test('drop-off, the first-three-sessions share and portal adoption', async ({ assert }) => {
    const { clinicianA } = await buildFixture()
    const figures = await figuresFor(viewerOf(clinicianA), period(), { now: NOW(), dropOffDays: DROP_OFF_DAYS })

    // P2 (Feb 11), N1 (Feb 5), D (Jan 2); not P1 (Mar 11), not N2 (never attended), not Q (discharged).
    assert.equal(figures.dropOff.clients, 3)
    assert.deepEqual(figures.firstSessions, { started: 5, fewerThanThree: 4, share: '80.0 %' })
    assert.deepEqual(figures.adoption, { activeClients: 5, invited: 3, withAccount: 2, signedInLast30Days: 1 })
  })

  test('the owner sees the whole practice and each clinician', async ({ assert }) => {
    const { clinicianA, clinicianB } = await buildFixture()
    const ceo = await createStaff('ceo')
    const figures = await figuresFor(viewerOf(ceo), period(), { now: NOW(), dropOffDays: DROP_OFF_DAYS })

    assert.isTrue(figures.wholePractice)
    assert.equal(figures.total.noShowRate.text, '31.6 %')
    assert.equal(figures.total.lateCancelRate.text, '10.5 %')
    assert.equal(figures.total.noShowRate.denominator, 19)
    assert.deepEqual(
      figures.byClinician.map((row) => [row.name, row.noShowRate.text, row.noShowRate.denominator]),
      [
        [clinicianA.name, '29.4 %', 17],
        [clinicianB.name, '50.0 %', 2],
      ]
    )
  })

  test('clients to reach out to: missed with nothing since, and dropped off, newest first', async ({ assert }) => {
    const { clinicianA, clients } = await buildFixture()
    const lists = await outreachFor(viewerOf(clinicianA), period(), { now: NOW(), dropOffDays: DROP_OFF_DAYS })

    // P1 attended after missing; X is clinician B's client.
    assert.deepEqual(
      lists.missed.entries.map((entry) => [entry.clientId, entry.reason]),
      [
        [clients.P2.id, 'No-show'],
        [clients.N1.id, 'No-show'],
        [clients.N2.id, 'No-show'],
      ]
    )
    assert.equal(lists.missed.total, 3)
    assert.deepEqual(
      lists.droppedOff.entries.map((entry) => entry.clientId),
      [clients.P2.id, clients.N1.id, clients.D.id]
    )

    const ceoLists = await outreachFor(viewerOf(await createStaff('ceo')), period(), { now: NOW(), dropOffDays: DROP_OFF_DAYS })
    assert.deepEqual(
      ceoLists.missed.entries.map((entry) => entry.clientId),
      [clients.X.id, clients.P2.id, clients.N1.id, clients.N2.id]
    )
  })
})

test.group('Insights: the pages', (group) => {
  group.setup(async () => {
    await buildFixture()
    await forgetInsightRollup()
  })

  test('the clinician page shows her caseload figures, labelled so, and never the other clinician', async ({ assert }) => {
    const { clinicianA, clinicianB, clients } = await buildFixture()
    const web = await signIn(clinicianA)
    const response = await web.get(periodUrl('/insights'))
    assert.equal(response.status, 200)
    assert.include(response.text, 'Your caseload only')
    assert.deepEqual(rowCells(response.text, 'January 2019'), ['5', '2', '1', '1', '1', '1', '0', '25.0 %', '12.5 %'])
    assert.deepEqual(rowCells(response.text, 'Total'), ['10', '5', '2', '1', '1', '1', '1', '29.4 %', '11.8 %'])
    assert.deepEqual(rowCells(response.text, 'Clients with an active portal account'), ['22.2 %', '11.1 %', '9'])
    assert.include(response.text, 'These groups chose themselves')
    assert.notInclude(response.text, clinicianB.name)
    assert.notInclude(response.text, 'By clinician')
    assert.notInclude(response.text, '/insights/export.csv')
    assert.include(response.text, '<svg class="chart-svg"')
    assert.include(response.text, 'role="img"')

    const outreach = await web.get(periodUrl('/insights/outreach'))
    assert.equal(outreach.status, 200)
    assert.include(outreach.text, `/clients/${clients.P2.id}`)
    assert.notInclude(outreach.text, `/clients/${clients.X.id}"`)
    assert.notInclude(outreach.text, clients.X.lastName)

    const csv = await web.get(periodUrl('/insights/export.csv'))
    assert.equal(csv.status, 403)
  })

  test('the owner page has every clinician and a CSV; opening the outreach list is audited', async ({ assert }) => {
    const { clinicianA, clinicianB, clients } = await buildFixture()
    const ceo = await createStaff('ceo')
    const web = await signIn(ceo)
    const response = await web.get(periodUrl('/insights'))
    assert.equal(response.status, 200)
    assert.deepEqual(rowCells(response.text, 'Total'), ['11', '6', '2', '1', '1', '1', '1', '31.6 %', '10.5 %'])
    assert.deepEqual(rowCells(response.text, clinicianB.name), ['1', '1', '0', '0', '0', '0', '0', '50.0 %', '0.0 %'])
    assert.include(response.text, clinicianA.name)

    const outreach = await web.get(periodUrl('/insights/outreach'))
    assert.equal(outreach.status, 200)
    assert.include(outreach.text, `/clients/${clients.X.id}`)
    const audited = await db
      .from('audit_events')
      .where({ action: 'staff.insights.outreach_viewed', actor_id: ceo.id })
      .select('detail')
    assert.lengthOf(audited, 1)
    assert.deepInclude(audited[0].detail, { period: 'custom', from: PERIOD.from, to: PERIOD.to, missed: 4 })

    const csv = await web.get(periodUrl('/insights/export.csv'))
    assert.equal(csv.status, 200)
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/)
    assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="insights-2019-01-01-to-2019-03-31.csv"/)
    assert.include(csv.text, 'outcomes by month,2019-01,5,2,1,1,1,1,0,25.0 %,12.5 %,8\r\n')
    assert.include(csv.text, 'outcomes by month,total,11,6,2,1,1,1,1,31.6 %,10.5 %,19\r\n')
    assert.include(csv.text, `by clinician,${clinicianB.name},1,1,0,0,0,0,0,50.0 %,0.0 %,2\r\n`)
    // The page's "Refilled from the waitlist" figure (no offer was accepted in the fixture's period).
    assert.include(csv.text, 'waitlist,refilled from the waitlist (freed times a waitlisted client took through an emailed offer),0,,\r\n')
    const exported = await db.from('audit_events').where({ action: 'staff.insights.exported', actor_id: ceo.id })
    assert.lengthOf(exported, 1)
  })

  test('a bad period is a calm error next to the field, not a stack trace', async ({ assert }) => {
    const web = await signIn(await createStaff('admin'))
    const future = DateTime.now().plus({ days: 10 }).toISODate()
    const response = await web.get(`/insights?period=custom&from=2019-01-01&to=${future}`)
    assert.equal(response.status, 422)
    assert.include(response.text, 'The end date is after today')
    assert.include(response.text, 'id="filter-to-error"')

    const missing = await web.get('/insights?period=custom')
    assert.equal(missing.status, 422)
    assert.include(missing.text, 'Enter the start date of the custom period')

    const unknown = await web.get('/insights?period=7')
    assert.equal(unknown.status, 422)
    assert.include(unknown.text, 'Choose one of the listed periods')
  })

  for (const role of ['support_staff'] as const) {
    test(`${role} gets the calm 403 on every insights page`, async ({ assert }) => {
      const web = await signIn(await createStaff(role))
      for (const path of ['/insights', '/insights/outreach', '/insights/export.csv']) {
        const response = await web.get(path)
        assert.equal(response.status, 403, path)
        assert.include(response.text, 'This page is not available to you')
      }
    })
  }

  test('the owner dashboard shows this and last month, linking to Insights; a clinician\'s does not', async ({ assert }) => {
    const owner = await signIn(await createStaff('admin'))
    const dashboard = await owner.get('/dashboard')
    assert.equal(dashboard.status, 200)
    assert.include(dashboard.text, 'No-show rate this month')
    assert.match(dashboard.text, /Last month: (\d+\.\d %|—)/)
    assert.include(dashboard.text, 'At the end of last month:')
    assert.include(dashboard.text, 'href="/insights"')

    const clinician = await signIn(await createStaff('clinician'))
    const hers = await clinician.get('/dashboard')
    assert.equal(hers.status, 200)
    assert.notInclude(hers.text, 'No-show rate this month')
  })

  test('a portal user is sent back into the portal; a visitor to the sign-in', async ({ assert }) => {
    const portal = await signIn(await createPortalAccount(await createClient()))
    const response = await portal.get('/insights')
    assert.equal(response.status, 302)
    assert.equal(response.location, '/portal')
    const visitor = await new WebSession().get('/insights')
    assert.equal(visitor.status, 302)
    assert.equal(visitor.location, '/login')
  })
})

/** Everything but where it came from. */
const figuresOnly = ({ source: _source, ...figures }: Figures) => figures

test.group('Insights: the rollup gives the live figures (issue #21 "Performance")', (group) => {
  group.setup(async () => {
    await buildFixture()
  })
  group.each.teardown(async () => {
    await forgetInsightRollup()
  })

  test('rebuilt by `node ace insights:refresh`, the owner\'s figures are the hand-counted ones, identical to live', async ({ assert }) => {
    const { clinicianA, clinicianB } = await buildFixture()
    const ceo = viewerOf(await createStaff('ceo'))
    const result = await runCommand('insights:refresh', [])
    assert.equal(result.code, 0, result.output)
    assert.match(result.output, /Insights rollup rebuilt in \d+ ms/)

    const now = NOW()
    const rolled = await figuresFor(ceo, period(), { now, dropOffDays: DROP_OFF_DAYS })
    assert.equal(rolled.source.kind, 'rollup')
    const live = await figuresFor(ceo, period(), { now, dropOffDays: DROP_OFF_DAYS, source: 'live' })
    assert.equal(live.source.kind, 'live')
    assert.deepEqual(figuresOnly(rolled), figuresOnly(live))

    // The same literals as the live tests above.
    assert.deepEqual(
      rolled.months.map((row) => [row.month, row.attended, row.noShow, row.lateCancelled, row.notRecorded, row.noShowRate.text]),
      [
        // Clinician A's months plus X's February attendance and March no-show.
        ['2019-01', 5, 2, 1, 0, '25.0 %'],
        ['2019-02', 4, 1, 1, 1, '16.7 %'],
        ['2019-03', 2, 3, 0, 0, '60.0 %'],
      ]
    )
    assert.equal(rolled.total.noShowRate.text, '31.6 %')
    assert.equal(rolled.total.lateCancelRate.text, '10.5 %')
    assert.equal(rolled.total.noShowRate.denominator, 19)
    assert.deepEqual(
      rolled.byClinician.map((row) => [row.name, row.noShowRate.text, row.noShowRate.denominator]),
      [
        [clinicianA.name, '29.4 %', 17],
        [clinicianB.name, '50.0 %', 2],
      ]
    )
    assert.deepEqual(
      [rolled.portal.with, rolled.portal.without, rolled.reminder.with, rolled.reminder.without].map((row) => row.noShowRate.denominator),
      [9, 10, 5, 14]
    )
  })

  test('built weeks ago, the days since are counted live: still identical', async ({ assert }) => {
    await buildFixture()
    const ceo = viewerOf(await createStaff('ceo'))
    // The rollup holds the days before February 10, 2019; the rest of the quarter is counted live.
    await refreshInsightRollup({ now: local('2019-02-10T08:00') })
    const now = NOW()
    const rolled = await figuresFor(ceo, period(), { now, dropOffDays: DROP_OFF_DAYS })
    assert.equal(rolled.source.kind, 'rollup')
    assert.deepEqual(figuresOnly(rolled), figuresOnly(await figuresFor(ceo, period(), { now, dropOffDays: DROP_OFF_DAYS, source: 'live' })))
    assert.equal(rolled.total.noShowRate.text, '31.6 %')
  })

  test('the last 365 days and the last 30, whole practice: identical to live', async ({ assert }) => {
    const ceo = viewerOf(await createStaff('admin'))
    await refreshInsightRollup()
    const now = NOW()
    for (const days of [365, 30] as const) {
      const rolled = await figuresFor(ceo, lastDays(days, now), { now, dropOffDays: DROP_OFF_DAYS })
      const live = await figuresFor(ceo, lastDays(days, now), { now, dropOffDays: DROP_OFF_DAYS, source: 'live' })
      assert.equal(rolled.source.kind, 'rollup')
      assert.deepEqual(figuresOnly(rolled), figuresOnly(live), `last ${days} days`)
    }
  })

  test('the owner dashboard\'s months read the rollup too, with the same figures as live', async ({ assert }) => {
    const ceo = viewerOf(await createStaff('ceo'))
    // Built as of March 20, 2019: February is closed days, March 1 to 19 rolled up, March 20 on live.
    await refreshInsightRollup({ now: local('2019-03-20T08:00') })
    const now = local('2019-03-25T12:00')
    const rolled = await monthHeadlines(ceo, { now, dropOffDays: DROP_OFF_DAYS })
    const live = await monthHeadlines(ceo, { now, dropOffDays: DROP_OFF_DAYS, source: 'live' })
    assert.deepEqual(rolled, live)
    // March 2019 up to the 25th: 2 attended, 3 no-shows (hand count above); February: 1 no-show of 6.
    assert.equal(rolled.thisMonth.noShowRate.text, '60.0 %')
    assert.equal(rolled.lastMonth.noShowRate.text, '16.7 %')
  })

  test('a clinician\'s caseload is always counted live', async ({ assert }) => {
    const { clinicianA } = await buildFixture()
    await refreshInsightRollup()
    const figures = await figuresFor(viewerOf(clinicianA), period(), { now: NOW(), dropOffDays: DROP_OFF_DAYS })
    assert.equal(figures.source.kind, 'live')
    assert.equal(figures.total.noShowRate.text, '29.4 %')
  })

  test('the page says when the rollup was rebuilt; without one it says nothing of it', async ({ assert }) => {
    await buildFixture()
    const web = await signIn(await createStaff('ceo'))
    const before = await web.get(periodUrl('/insights'))
    assert.equal(before.status, 200)
    assert.notInclude(before.text, 'id="figures-as-of"')

    await refreshInsightRollup()
    const after = await web.get(periodUrl('/insights'))
    assert.equal(after.status, 200)
    assert.include(after.text, 'id="figures-as-of"')
    // The worker's real interval (jobs:work --insights-every, 600 s unless the operator says otherwise).
    assert.include(after.text, '(rebuilt every 10 minutes by default)')
    const flag = JobsWork.flags.find((candidate) => candidate.name === 'insightsEvery')
    assert.equal(flag?.default, 600)
    assert.deepEqual(rowCells(after.text, 'Total'), ['11', '6', '2', '1', '1', '1', '1', '31.6 %', '10.5 %'])
  })
})
