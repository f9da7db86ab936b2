import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import AppointmentRequest from '#models/appointment_request'
import PracticeSetting from '#models/practice_setting'
import type Client from '#models/client'
import type StaffUser from '#models/staff_user'
import {
  AppointmentTypeFactory,
  createAppointment,
  createClient,
  createPortalAccount,
  createStaff,
} from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { browserForm, withChanges } from '#tests/helpers/forms'
import { deliverAll, groupSmtpCapture } from '#tests/helpers/mail'
import type { WebSession } from '#tests/helpers/web'
import type { ReceivedMail } from '#tests/helpers/smtp'
import practice from '#config/practice'

/*
| Appointment requests (issue #19, items 3 and 4): a client asks, staff book
| or decline from the inbox, the client is told in the portal and by a
| discreet mail. Real HTTP, real PostgreSQL (RLS, the limits trigger), real SMTP.
*/

const NOTE = 'Tuesdays after my shift; my sister must not know'
const REPLY = 'Dr. Reyes has no evenings left; please call us to find a time'

/** A client with a provider of the last months, a portal account, and an upcoming appointment. */
async function world(attributes: { language?: 'en' | 'es' } = {}) {
  const provider = await createStaff('clinician')
  const client = await createClient()
  const appointment = await createAppointment(client, provider)
  const account = await createPortalAccount(client, 'self', attributes.language ? { language: attributes.language } : {})
  return { provider, client, appointment, account, web: await signIn(account) }
}

async function setMode(mode: 'view_only' | 'requests') {
  await db.from('practice_settings').where('id', 1).update({ scheduling_mode: mode })
  PracticeSetting.forget()
}

/** Sends the request form as a browser would, with these choices. */
async function ask(
  web: WebSession,
  choices: { days?: string[]; parts?: string[]; providerId?: string; modality?: string; note?: string; appointment?: number } = {}
) {
  const page = await web.get(`/portal/appointment-requests/new${choices.appointment ? `?appointment=${choices.appointment}` : ''}`)
  const form = browserForm(page.text, '/portal/appointment-requests')
  const entries = withChanges(form, {
    ...(choices.providerId !== undefined ? { providerId: choices.providerId } : {}),
    ...(choices.modality ? { modality: choices.modality } : {}),
    ...(choices.note !== undefined ? { note: choices.note } : {}),
  }).entries
  for (const day of choices.days ?? ['tue']) entries.push(['days[]', day])
  for (const part of choices.parts ?? ['evening']) entries.push(['parts[]', part])
  return web.send({ ...form, entries }, { referer: new URL(page.text ? '/portal/appointment-requests/new' : '/', web.baseUrl).href })
}

/** Everything that crossed the wire: the raw MIME (quoted-printable lines joined) and its decoded parts. */
function everything(message: ReceivedMail) {
  return [message.raw, message.raw.replace(/=\r?\n/g, ''), message.subject, message.text, message.html].join('\n')
}

/** The HTML of the form that posts to `action`. */
function formHtml(page: string, action: string) {
  const start = page.indexOf(`action="${action}"`)
  if (start < 0) throw new Error(`No form posting to ${action}`)
  return page.slice(page.lastIndexOf('<form', start), page.indexOf('</form>', start))
}

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#x27;')

const requestsOf = (client: Client) => AppointmentRequest.query().where('client_id', client.id).orderBy('id')

/** A free time for the provider, as the booking form's datetime-local wants it. */
function freeTime() {
  return DateTime.now()
    .setZone(practice.timeZone)
    .plus({ days: 400 + Math.floor(Math.random() * 300) })
    .set({ hour: 10 + Math.floor(Math.random() * 6), minute: 0 })
    .toFormat("yyyy-MM-dd'T'HH:mm")
}

async function staffWeb(role: 'admin' | 'support_staff' | 'clinician', existing?: StaffUser) {
  return signIn(existing ?? (await createStaff(role)))
}

test.group('Appointment requests: the portal', (group) => {
  group.each.setup(() => setMode('requests'))
  group.teardown(() => setMode('requests'))

  test('a client asks for an appointment; the request is listed as sent and audited without the note', async ({ assert }) => {
    const { client, provider, web, account } = await world()
    const page = await web.get('/portal/appointments')
    assert.include(page.text, 'href="/portal/appointment-requests/new"')

    const form = await web.get('/portal/appointment-requests/new')
    assert.equal(form.status, 200)
    // Next to the note, inside the form (not only the page's footer): nothing urgent or private, and the crisis line.
    const requestForm = formHtml(form.text, '/portal/appointment-requests')
    assert.include(requestForm, 'Please do not write anything urgent or private here')
    assert.include(requestForm, 'If you need help now, please call')
    assert.include(requestForm, escapeHtml(practice.crisisLineText))
    assert.include(form.text, `value="${provider.id}"`, "the client's provider is offered")

    const sent = await ask(web, { days: ['tue', 'thu'], parts: ['evening'], providerId: String(provider.id), modality: 'video', note: NOTE })
    assert.equal(sent.status, 302)
    const listed = await web.follow(sent)
    assert.include(listed.text, 'Your request is sent')
    assert.include(listed.text, 'Tuesday, Thursday')
    assert.include(listed.text, 'Sent</span>')

    const [request] = await requestsOf(client)
    assert.include(request.$attributes, { status: 'open', kind: 'new', modality: 'video', providerId: provider.id, clientUserId: account.id, daysOfWeek: 2 | 8, partsOfDay: 4, note: NOTE })
    const events = await db.from('audit_events').where('client_id', client.id).where('action', 'like', 'portal.appointment_request%')
    assert.isAbove(events.length, 0)
    for (const event of events) assert.notInclude(JSON.stringify(event.detail), 'sister')
  })

  test('in Spanish the request form says the same: nothing urgent or private in the note, and the crisis line', async ({ assert }) => {
    const { web } = await world({ language: 'es' })
    const page = await web.get('/portal/appointment-requests/new')
    assert.equal(page.status, 200)
    const requestForm = formHtml(page.text, '/portal/appointment-requests')
    assert.include(requestForm, 'no escriba aquí nada urgente ni privado')
    assert.include(requestForm, 'Si necesita ayuda ahora, llame al')
    assert.include(requestForm, escapeHtml(practice.crisisLineTextEs ?? 'En una crisis, llame o envíe un mensaje de texto al 988.'))
  })

  test('a client asks to reschedule an upcoming appointment from its page', async ({ assert }) => {
    const { client, appointment, web } = await world()
    const page = await web.get(`/portal/appointments/${appointment.id}`)
    assert.include(page.text, `/portal/appointment-requests/new?appointment=${appointment.id}`)
    const sent = await ask(web, { appointment: appointment.id })
    assert.equal(sent.status, 302)
    const [request] = await requestsOf(client)
    assert.equal(request.kind, 'reschedule')
    assert.equal(request.appointmentId, appointment.id)
  })

  test('missing choices are calm errors next to the fields; nothing is saved', async ({ assert }) => {
    const { client, web } = await world()
    const page = await web.get('/portal/appointment-requests/new')
    const form = browserForm(page.text, '/portal/appointment-requests')
    const sent = await web.send(withChanges(form, { note: 'x'.repeat(501) }), { referer: `${web.baseUrl}/portal/appointment-requests/new` })
    const back = await web.follow(sent)
    assert.include(back.text, 'Please choose at least one day.')
    assert.include(back.text, 'Please choose at least one time of day.')
    assert.include(back.text, 'Please keep the note to 500 characters or fewer.')
    assert.lengthOf(await requestsOf(client), 0)
  })

  test('the client withdraws an open request', async ({ assert }) => {
    const { client, web } = await world()
    await ask(web)
    const [request] = await requestsOf(client)
    const list = await web.get('/portal/appointment-requests')
    const withdrawn = await web.send(browserForm(list.text, `/portal/appointment-requests/${request.id}/withdraw`))
    assert.include((await web.follow(withdrawn)).text, 'Your request is withdrawn.')
    await request.refresh()
    assert.equal(request.status, 'withdrawn')
    assert.isNotNull(request.withdrawnAt)

    // The same button from a page left open: calm, nothing changes.
    const again = await web.send(browserForm(list.text, `/portal/appointment-requests/${request.id}/withdraw`))
    assert.include((await web.follow(again)).text, 'nothing was changed')
  })

  test("A's request is invisible to B; B's ids for A's request, appointment and provider answer 404 or are refused, and change nothing", async ({ assert }) => {
    const a = await world()
    const b = await world()
    await ask(a.web, { note: NOTE })
    const [request] = await requestsOf(a.client)

    const list = await b.web.get('/portal/appointment-requests')
    assert.notInclude(list.text, 'sister')
    assert.include(list.text, 'You have not asked for an appointment yet.')

    await b.web.get('/portal/appointment-requests')
    const withdraw = await b.web.post(`/portal/appointment-requests/${request.id}/withdraw`)
    assert.equal(withdraw.status, 404)
    await request.refresh()
    assert.equal(request.status, 'open')

    assert.equal((await b.web.get(`/portal/appointment-requests/new?appointment=${a.appointment.id}`)).status, 404)
    await b.web.get('/portal/appointment-requests/new')
    const foreignAppointment = await b.web.post('/portal/appointment-requests', {
      appointmentId: String(a.appointment.id),
      'days[]': ['mon'],
      'parts[]': ['morning'],
      modality: 'in_person',
    })
    assert.equal(foreignAppointment.status, 404)

    const foreignProvider = await ask(b.web, { providerId: String(a.provider.id) })
    const back = await b.web.follow(foreignProvider)
    assert.include(back.text, 'Please choose someone from the list')
    assert.lengthOf(await requestsOf(b.client), 0)
    assert.lengthOf(await requestsOf(a.client), 1)
  })

  test('limits: an identical open request, more than 3 open, more than 5 a day (per account, across the people it acts for)', async ({ assert }) => {
    const { client, web } = await world()
    await ask(web, { days: ['mon'] })
    const identical = await web.follow(await ask(web, { days: ['mon'] }))
    assert.include(identical.text, 'You have already sent this same request')
    await ask(web, { days: ['tue'] })
    await ask(web, { days: ['wed'] })
    const fourth = await web.follow(await ask(web, { days: ['thu'] }))
    assert.include(fourth.text, 'You already have 3 requests waiting for a reply')
    assert.lengthOf(await requestsOf(client), 3)

    // A guardian of two: 5 new requests a day in all, whoever they are for.
    const provider = await createStaff('clinician')
    const [first, second] = [await createClient(), await createClient()]
    await createAppointment(first, provider)
    await createAppointment(second, provider)
    const guardian = await createPortalAccount([first, second], 'legal_guardian')
    const guardianWeb = await signIn(guardian)
    for (const [who, days] of [[first, ['mon']], [first, ['tue']], [first, ['wed']], [second, ['mon']], [second, ['tue']]] as const) {
      await guardianWeb.get('/portal/switch')
      await guardianWeb.post('/portal/switch', { clientId: String(who.id) })
      await ask(guardianWeb, { days: [...days] })
    }
    const sixth = await guardianWeb.follow(await ask(guardianWeb, { days: ['fri'] }))
    assert.include(sixth.text, 'You have sent 5 requests today')
    assert.lengthOf(await AppointmentRequest.query().where('client_user_id', guardian.id), 5)
  })

  test('view_only: the request pages answer 404 and their links are absent', async ({ assert }) => {
    const { appointment, web, client } = await world()
    await setMode('view_only')
    for (const path of ['/portal/appointment-requests', '/portal/appointment-requests/new']) {
      assert.equal((await web.get(path)).status, 404, path)
    }
    const post = await web.post('/portal/appointment-requests', { 'days[]': ['mon'], 'parts[]': ['morning'], modality: 'in_person' })
    assert.equal(post.status, 404)
    assert.lengthOf(await requestsOf(client), 0)
    assert.notInclude((await web.get('/portal/appointments')).text, '/portal/appointment-requests')
    assert.notInclude((await web.get(`/portal/appointments/${appointment.id}`)).text, '/portal/appointment-requests')
  })
})

test.group('Appointment requests: the staff inbox', (group) => {
  const smtp = groupSmtpCapture(group)
  group.each.setup(() => setMode('requests'))

  test('staff book from a request: the form is prefilled, and booking links the request and tells the client discreetly', async ({ assert }) => {
    const { client, provider, web, account } = await world()
    await ask(web, { providerId: String(provider.id), modality: 'video', note: NOTE })
    const [request] = await requestsOf(client)
    const type = await AppointmentTypeFactory.create()

    const staff = await staffWeb('support_staff')
    const inbox = await staff.get('/appointments/requests')
    assert.include(inbox.text, client.fullName)
    assert.include(inbox.text, NOTE.replace("'", '&#39;'))
    assert.include(inbox.text, `/appointments/new?client=${client.id}&amp;request=${request.id}`)
    assert.match(inbox.text, /Requests <span class="badge">\d+/)

    const page = await staff.get(`/appointments/new?client=${client.id}&request=${request.id}`)
    const form = browserForm(page.text, '/appointments')
    assert.deepInclude(form.entries, ['requestId', String(request.id)])
    assert.deepInclude(form.entries, ['clientId', String(client.id)])
    assert.deepInclude(form.entries, ['providerId', String(provider.id)])
    assert.deepInclude(form.entries, ['modality', 'telehealth'])
    const booked = await staff.send(withChanges(form, { appointmentTypeId: String(type.id), startsAt: freeTime() }))
    assert.equal(booked.status, 302)

    await request.refresh()
    assert.equal(request.status, 'booked')
    assert.isNotNull(request.bookedAppointmentId)
    const list = await web.get('/portal/appointment-requests')
    assert.include(list.text, 'Booked</span>')
    assert.include(list.text, `/portal/appointments/${request.bookedAppointmentId}`)

    await deliverAll()
    const mail = smtp.messages.filter((message) => message.to.includes(account.email) && /reply/i.test(message.subject))
    assert.lengthOf(mail, 1)
    assert.notInclude(mail[0].raw, 'sister')
    assert.include(mail[0].text, 'has replied to your appointment request')
  })

  test('declining without consent to details: the message is in the portal; the mail says only that the practice replied', async ({ assert }) => {
    const { client, web, account } = await world()
    await ask(web, { note: NOTE })
    const [request] = await requestsOf(client)

    const staff = await staffWeb('admin')
    const inbox = await staff.get('/appointments/requests')
    const empty = await staff.send(browserForm(inbox.text, `/appointments/requests/${request.id}/decline`))
    assert.include((await staff.follow(empty)).text, 'class="error-summary"')
    await request.refresh()
    assert.equal(request.status, 'open')

    const declined = await staff.send(withChanges(browserForm((await staff.get('/appointments/requests')).text, `/appointments/requests/${request.id}/decline`), { message: REPLY }))
    assert.include((await staff.follow(declined)).text, 'The request is declined')
    await request.refresh()
    assert.equal(request.status, 'declined')

    const list = await web.get('/portal/appointment-requests')
    assert.include(list.text, 'Declined</span>')
    assert.include(list.text, REPLY)

    await deliverAll()
    const mail = smtp.messages.filter((message) => message.to.includes(account.email))
    assert.lengthOf(mail, 1)
    assert.include(mail[0].text, 'Please sign in to the portal to read the reply.')
    for (const secret of ['sister', 'evenings left', 'Reyes']) assert.notInclude(everything(mail[0]), secret)
    const events = await db.from('audit_events').where('client_id', client.id)
    for (const event of events) {
      assert.notInclude(JSON.stringify(event.detail), 'sister')
      assert.notInclude(JSON.stringify(event.detail), 'evenings')
    }
  })

  test('declining: with consent to details the mail carries the practice’s message (en, es); discreet mode keeps it out; the note never', async ({ assert }) => {
    const staff = await staffWeb('admin')
    const cases = [
      { label: 'consenting, English', language: 'en', preference: { consent_details_in_email: true }, shown: true },
      { label: 'consenting, Spanish', language: 'es', preference: { consent_details_in_email: true }, shown: true },
      { label: 'discreet (overrides consent)', language: 'en', preference: { consent_details_in_email: true, discreet_mode: true }, shown: false },
    ] as const
    for (const { label, language, preference, shown } of cases) {
      const { client, web, account } = await world({ language })
      await db.from('client_preferences').where('client_id', client.id).update(preference)
      await ask(web, { note: NOTE })
      const [request] = await requestsOf(client)
      const message = `${REPLY} (${label})`
      const inbox = await staff.get('/appointments/requests')
      const declined = await staff.send(withChanges(browserForm(inbox.text, `/appointments/requests/${request.id}/decline`), { message }))
      assert.include((await staff.follow(declined)).text, 'The request is declined', label)
      // The portal shows the reply whatever the mail carries.
      assert.include((await web.get('/portal/appointment-requests')).text, message)

      await deliverAll()
      const mail = smtp.messages.filter((received) => received.to.includes(account.email))
      assert.lengthOf(mail, 1, label)
      const [received] = mail
      if (shown) {
        // The practice's message, as staff wrote it, in the text and HTML parts; the words around it in the account's language.
        assert.include(received.text, message, label)
        assert.include(received.html, message, label)
        assert.include(
          received.text,
          language === 'es' ? 'respondió a su solicitud de cita:' : 'has replied to your appointment request:',
          label
        )
        assert.include(received.text, language === 'es' ? 'También puede leer la respuesta' : 'You can also read the reply', label)
        assert.include(received.text, '/portal/appointment-requests', label)
      } else {
        for (const secret of ['evenings left', 'Reyes']) assert.notInclude(everything(received), secret, label)
        assert.include(received.text, 'Please sign in to the portal to read the reply.', label)
      }
      // The client's own note: never in any mail, nor the audit trail.
      assert.notInclude(everything(received), 'sister', label)
      assert.notInclude(everything(received), 'shift', label)
      for (const event of await db.from('audit_events').where('client_id', client.id)) {
        assert.notInclude(JSON.stringify(event.detail), 'sister', label)
        assert.notInclude(JSON.stringify(event.detail), 'evenings', label)
      }
    }
    // Once delivered, the practice's message is not kept in the mail store (a sent mail's data is emptied).
    const stored = await db
      .connection('machinery')
      .from('mail_messages')
      .where('template', 'appointment_request_update')
      .whereRaw(`data::text like '%evenings left%'`)
    assert.lengthOf(stored, 0)
  })

  test('a clinician sees only the requests that name her; a request not hers cannot be booked through her form', async ({ assert }) => {
    const { client, provider, web } = await world()
    const other = await createStaff('clinician')
    await ask(web, { providerId: String(provider.id), days: ['mon'] })
    const [request] = await requestsOf(client)

    const hers = await signIn(provider)
    assert.include((await hers.get('/appointments/requests')).text, client.fullName)
    const notHers = await signIn(other)
    assert.notInclude((await notHers.get('/appointments/requests')).text, client.fullName)
    const page = await notHers.get(`/appointments/new?request=${request.id}`)
    assert.notInclude(page.text, 'name="requestId"')
  })

  test('a reschedule request: Book opens the reschedule form, and moving the appointment links the request', async ({ assert }) => {
    const { client, appointment, web } = await world()
    await ask(web, { appointment: appointment.id, days: ['fri'] })
    const [request] = await requestsOf(client)
    const staff = await staffWeb('admin')
    const inbox = await staff.get('/appointments/requests')
    assert.include(inbox.text, `/appointments/${appointment.id}/edit?request=${request.id}`)

    const page = await staff.get(`/appointments/${appointment.id}/edit?request=${request.id}`)
    const form = browserForm(page.text, `/appointments/${appointment.id}`)
    assert.deepInclude(form.entries, ['requestId', String(request.id)])
    const moved = await staff.send(withChanges(form, { startsAt: freeTime(), endsAt: '' }))
    assert.equal(moved.status, 302)
    await request.refresh()
    assert.equal(request.status, 'booked')
    assert.equal(request.bookedAppointmentId, appointment.id)
  })

  test('a request withdrawn while staff book it: nothing is booked', async ({ assert }) => {
    const { client, provider, web } = await world()
    await ask(web, { providerId: String(provider.id) })
    const [request] = await requestsOf(client)
    const type = await AppointmentTypeFactory.create()
    const staff = await staffWeb('admin')
    const page = await staff.get(`/appointments/new?request=${request.id}`)
    const form = browserForm(page.text, '/appointments')
    await request.merge({ status: 'withdrawn', withdrawnAt: DateTime.now() }).save()

    const before = await db.from('appointments').where('client_id', client.id).count('* as total')
    const sent = await staff.send(withChanges(form, { appointmentTypeId: String(type.id), startsAt: freeTime() }))
    assert.include((await staff.follow(sent)).text, 'Nothing was booked')
    const after = await db.from('appointments').where('client_id', client.id).count('* as total')
    assert.equal(after[0].total, before[0].total)
  })

  test('the inbox shows 50 open requests to a page, oldest first, with the total and the pages', async ({ assert, cleanup }) => {
    // 52 clients each with one open request (the limits allow one per client and account), written directly.
    const asked: number[] = []
    for (let i = 0; i < 52; i++) {
      const client = await createClient()
      const account = await createPortalAccount(client)
      const [row] = await db
        .table('appointment_requests')
        .insert({ client_id: client.id, client_user_id: account.id, kind: 'new', days_of_week: 1, parts_of_day: 1, modality: 'in_person' })
        .returning('id')
      asked.push(row.id)
    }
    // Withdrawn again afterwards: the other inbox tests find their own request on the first page.
    cleanup(async () => {
      await db.from('appointment_requests').whereIn('id', asked).update({ status: 'withdrawn', withdrawn_at: new Date() })
    })
    const staff = await staffWeb('admin')
    const { count } = (await db.from('appointment_requests').where('status', 'open').count('* as count').firstOrFail()) as { count: string }

    const first = await staff.get('/appointments/requests')
    assert.equal(first.status, 200)
    assert.include(first.text, `${count} open requests, 50 to a page.`)
    assert.equal(first.text.match(/<li class="card" id="request-/g)?.length, 50)
    assert.include(first.text, 'href="/appointments/requests?page=2" rel="next"')
    // Oldest first: the last one asked is not on the first page when more than 50 are open.
    assert.notInclude(first.text, `id="request-${asked[51]}"`)

    const lastPage = Math.ceil(Number(count) / 50)
    const last = await staff.get(`/appointments/requests?page=${lastPage}`)
    assert.include(last.text, `id="request-${asked[51]}"`)
    assert.include(last.text, `Page ${lastPage} of ${lastPage}`)
    assert.include(last.text, 'rel="prev"')

    // Past the end: a calm page with a way back; not a number: the first page.
    const beyond = await staff.get(`/appointments/requests?page=${lastPage + 5}`)
    assert.include(beyond.text, 'There are no open requests on this page.')
    const notANumber = await staff.get('/appointments/requests?page=two')
    assert.equal(notANumber.status, 302)
    assert.equal(notANumber.location, '/appointments/requests')
  })
})

