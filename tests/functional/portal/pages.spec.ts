import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import ICAL from 'ical.js'
import { DateTime } from 'luxon'
import SessionNote from '#models/session_note'
import ResourceShare from '#models/resource_share'
import {
  createAppointment,
  createClient,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'
import { signIn, signInThroughForm } from '#tests/helpers/sign_in'

async function clientWithSchedule() {
  const provider = await createStaff('clinician', { name: `Dr. Provider ${Date.now()}` })
  const client = await createClient()
  const account = await createPortalAccount(client)
  const upcoming = await createAppointment(client, provider, { location: 'Upcoming-room' })
  const past = []
  for (let i = 1; i <= 12; i++) {
    past.push(
      await createAppointment(client, provider, {
        startsAt: DateTime.now().minus({ days: i * 7 }),
        status: i === 3 ? 'cancelled' : 'completed',
        location: `Past-room-${i}`,
      })
    )
  }
  return { provider, client, account, upcoming, past, web: await signIn(account) }
}

test.group('Portal appointments', () => {
  test('upcoming and past lists, with plain statuses and real pagination links', async ({ assert }) => {
    const { web, provider, past } = await clientWithSchedule()
    const upcoming = await web.get('/portal/appointments')
    assert.equal(upcoming.status, 200)
    assert.include(upcoming.text, 'Upcoming-room')
    assert.include(upcoming.text, provider.name)
    assert.notInclude(upcoming.text, 'Past-room-1<')

    const pastPage = await web.get('/portal/appointments?tab=past')
    assert.include(pastPage.text, 'Past-room-1')
    assert.include(pastPage.text, 'Cancelled')
    assert.include(pastPage.text, 'href="/portal/appointments?tab=past&amp;page=2"')
    assert.notInclude(pastPage.text, 'Past-room-12')

    const second = await web.get('/portal/appointments?tab=past&page=2')
    assert.include(second.text, 'Past-room-12')
    assert.include(second.text, 'Page 2 of 2')

    // Past the end: nothing to list, and still the true number of pages.
    const beyond = await web.get('/portal/appointments?tab=past&page=9')
    assert.equal(beyond.status, 200)
    assert.include(beyond.text, 'There are no past appointments to show.')
    assert.include(beyond.text, 'Page 9 of 2')
    void past
  })

  test('a past appointment whose attendance is not recorded yet is not shown as "Scheduled"', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient()
    const thisMorning = await createAppointment(client, provider, { startsAt: DateTime.now().minus({ hours: 1 }), location: 'Morning-room' })
    await createAppointment(client, provider, { startsAt: DateTime.now().plus({ days: 2 }), location: 'Later-room' })
    const web = await signIn(await createPortalAccount(client))

    const past = await web.get('/portal/appointments?tab=past')
    assert.include(past.text, 'Morning-room')
    assert.notInclude(past.text, 'Scheduled')
    const details = await web.get(`/portal/appointments/${thisMorning.id}`)
    assert.equal(details.status, 200)
    assert.notInclude(details.text, 'Scheduled')
    assert.notInclude(details.text, 'Add to my calendar')

    // Still to come: scheduled, with its calendar file.
    const upcoming = await web.get('/portal/appointments')
    assert.include(upcoming.text, 'Later-room')
    assert.include(upcoming.text, 'Scheduled')
  })

  test('an htmx request gets only the list; a history restore gets the whole page', async ({ assert }) => {
    const { web } = await clientWithSchedule()
    const partial = await web.get('/portal/appointments?tab=past', { 'HX-Request': 'true' })
    assert.equal(partial.status, 200)
    assert.notInclude(partial.text, '<html')
    assert.include(partial.text, 'id="appointment-list"')
    assert.include(partial.headers.get('vary') ?? '', 'HX-Request')

    const restore = await web.get('/portal/appointments?tab=past', { 'HX-History-Restore-Request': 'true' })
    assert.include(restore.text, '<html')
  })

  test('viewing the list is audited once; its htmx partials are not', async ({ assert }) => {
    const { web, account } = await clientWithSchedule()
    await web.get('/portal/appointments')
    await web.get('/portal/appointments?tab=past', { 'HX-Request': 'true' })
    await web.get('/portal/appointments?tab=past&page=2', { 'HX-Request': 'true' })
    const rows = await db.from('audit_events').where({ action: 'portal.appointments.viewed', actor_id: account.id })
    assert.lengthOf(rows, 1)
  })

  test('a bad query string is a calm error, not a crash', async ({ assert }) => {
    const { web } = await clientWithSchedule()
    const response = await web.get('/portal/appointments?tab=everything&page=-3')
    assert.isBelow(response.status, 500)
  })

  test('appointment details show metadata only, never session notes', async ({ assert }) => {
    const { web, provider, upcoming } = await clientWithSchedule()
    const marker = `CLINICAL-${Math.random().toString(36).slice(2)}`
    await SessionNote.create({ appointmentId: upcoming.id, authorId: provider.id, body: marker })
    const page = await web.get(`/portal/appointments/${upcoming.id}`)
    assert.equal(page.status, 200)
    assert.include(page.text, provider.name)
    assert.notInclude(page.text, marker)
    const ics = await web.get(`/portal/appointments/${upcoming.id}/calendar.ics`)
    assert.notInclude(ics.text, marker)
  })

  test('an expired session on an htmx request answers HX-Redirect to the sign-in page', async ({ assert }) => {
    const { web, account } = await clientWithSchedule()
    await account.endAllSessions()
    const response = await web.get('/portal/appointments?tab=past', { 'HX-Request': 'true' })
    assert.equal(response.status, 204)
    assert.equal(response.headers.get('hx-redirect'), '/portal/login')
  })
})

test.group('Calendar files', () => {
  for (const [label, localTime] of [
    ['before the autumn daylight-saving change', '2026-10-30T15:00'],
    ['after the autumn daylight-saving change', '2026-11-02T15:00'],
    ['after the spring daylight-saving change', '2027-03-15T09:30'],
  ] as const) {
    test(`DTSTART is the right instant ${label}`, async ({ assert }) => {
      const provider = await createStaff('clinician', { name: 'Dr. Calendar' })
      const client = await createClient()
      const startsAt = DateTime.fromISO(localTime, { zone: 'America/Chicago' })
      const appointment = await createAppointment(client, provider, { startsAt })
      const web = await signIn(await createPortalAccount(client))

      const first = await web.get(`/portal/appointments/${appointment.id}/calendar.ics`)
      assert.equal(first.status, 200)
      assert.match(first.headers.get('content-type')!, /^text\/calendar/)
      assert.match(first.headers.get('content-disposition')!, /^attachment; filename="?appointment-/)

      const event = new ICAL.Event(new ICAL.Component(ICAL.parse(first.text)).getFirstSubcomponent('vevent')!)
      assert.equal(event.startDate.toJSDate().getTime(), startsAt.toMillis())
      assert.equal(event.summary, 'Appointment with Dr. Calendar')

      const second = await web.get(`/portal/appointments/${appointment.id}/calendar.ics`)
      const again = new ICAL.Event(new ICAL.Component(ICAL.parse(second.text)).getFirstSubcomponent('vevent')!)
      assert.equal(again.uid, event.uid)
      assert.include(event.uid, `appointment-${appointment.id}@`)
    })
  }
})

test.group('Portal resources', () => {
  test('shared resources are listed by category and download with safe headers', async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client)
    const { resource, contents } = await createSharedResource([client], { originalName: 'Été plan "final"\r\n.txt' })
    const web = await signIn(account)

    const list = await web.get('/portal/resources')
    assert.include(list.text, resource.title)
    assert.include(list.text, `· ${contents.length} bytes`)

    const download = await web.get(`/portal/resources/${resource.id}/download`)
    assert.equal(download.status, 200)
    assert.equal(download.text, contents.toString())
    assert.equal(download.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(download.headers.get('cache-control'), 'no-store')
    const disposition = download.headers.get('content-disposition')!
    assert.match(disposition, /^attachment;/)
    assert.notMatch(disposition, /[\r\n]/)
    assert.include(disposition, "filename*=UTF-8''")

    const audited = await db.from('audit_events').where({ action: 'portal.resource.downloaded', actor_id: account.id }).first()
    assert.equal(audited.detail.resourceId, resource.id)
  })

  test('a revoked share or an archived resource is gone: 404', async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client)
    const { resource: revoked } = await createSharedResource([client])
    const { resource: archived } = await createSharedResource([client])
    await ResourceShare.query().where({ resourceId: revoked.id, clientId: client.id }).update({ revokedAt: new Date() })
    archived.archivedAt = DateTime.now()
    await archived.save()
    const web = await signIn(account)

    const list = await web.get('/portal/resources')
    assert.notInclude(list.text, revoked.title)
    assert.notInclude(list.text, archived.title)
    assert.equal((await web.get(`/portal/resources/${revoked.id}/download`)).status, 404)
    assert.equal((await web.get(`/portal/resources/${archived.id}/download`)).status, 404)
  })
})

test.group('htmx and CSRF', () => {
  test('a form sent by htmx with a stale CSRF token gets HX-Redirect, not a page inside a fragment', async ({ assert }) => {
    const client = await createClient()
    const web = await signIn(await createPortalAccount(client))
    await web.get('/portal/switch')
    const response = await web.post(
      '/portal/switch',
      { _csrf: 'stale-token', clientId: String(client.id) },
      { 'HX-Request': 'true', 'HX-Current-URL': `${web.baseUrl}/portal/switch` }
    )
    assert.equal(response.status, 204)
    assert.equal(response.headers.get('hx-redirect'), '/portal/switch')
  })
})

test.group('Portal audit trail', () => {
  test('each portal action writes its audit event, once per page view', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const [first, second] = [await createClient({ firstName: 'Aaa' }), await createClient({ firstName: 'Bbb' })]
    const appointment = await createAppointment(first, provider)
    const { resource } = await createSharedResource([first])
    const account = await createPortalAccount([first, second], 'legal_guardian')

    const failed = new (await import('#tests/helpers/web')).WebSession()
    await failed.get('/portal/login')
    await failed.post('/portal/login', { email: account.email, password: 'wrong-password-here' })

    const web = await signInThroughForm(account)
    await web.get('/portal/appointments')
    await web.get('/portal/appointments', { 'HX-History-Restore-Request': 'true' })
    await web.get(`/portal/appointments/${appointment.id}`)
    await web.get('/portal/resources')
    await web.get(`/portal/resources/${resource.id}/download`)
    await web.get('/portal/account')
    await web.post('/portal/account/contact', { _form: 'contact', phone: '(213) 373-4253', email: '', addressLine1: '', city: '' })
    await web.get('/portal/appointments/999999999')
    await web.get('/portal/switch')
    await web.post('/portal/switch', { clientId: String(second.id) })
    await web.post('/portal/logout')

    const rows = await db.from('audit_events').where('actor_id', account.id).where('actor_kind', 'client_user').select('action')
    const counts = rows.reduce<Record<string, number>>((all, { action }) => ({ ...all, [action]: (all[action] ?? 0) + 1 }), {})
    for (const action of [
      'portal.sign_in_failed',
      'portal.sign_in',
      'portal.appointments.viewed',
      'portal.appointment.viewed',
      'portal.resources.viewed',
      'portal.resource.downloaded',
      'portal.account.viewed',
      'portal.access.refused',
      'portal.client.switched',
      'portal.sign_out',
    ]) {
      assert.isAtLeast(counts[action] ?? 0, 1, action)
    }
    assert.equal(counts['portal.appointments.viewed'], 1, 'a history restore is not a new view')
  })
})

test.group('Portal: a guardian and the people they act for', () => {
  test('home speaks of the person viewed, and the last choice opens the next sign-in', async ({ assert }) => {
    const [older, younger] = [await createClient({ firstName: 'Aaron' }), await createClient({ firstName: 'Zoe' })]
    const account = await createPortalAccount([older, younger], 'legal_guardian')

    const first = await signIn(account)
    const home = (await first.get('/portal')).text
    assert.include(home, 'Recently shared with Aaron')
    assert.notInclude(home, 'Recently shared with you')
    assert.include(home, 'Aaron’s details')

    await first.get('/portal/switch')
    await first.post('/portal/switch', { clientId: String(younger.id) })
    await first.post('/portal/logout')

    // A new sign-in (a new session) opens on Zoe, the person chosen last.
    const again = await signIn(account)
    assert.include((await again.get('/portal')).text, 'Recently shared with Zoe')
  })

  test('a client viewing their own portal is spoken to as "you"', async ({ assert }) => {
    const web = await signIn(await createPortalAccount(await createClient()))
    const home = (await web.get('/portal')).text
    assert.include(home, 'Recently shared with you')
    assert.include(home, 'Your details')
  })
})
