import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Appointment from '#models/appointment'
import { createAppointment, createClient, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { browserForm } from '#tests/helpers/forms'
import { PICKER_SEARCHES_PER_MINUTE } from '#pages/staff/client_picker'
import {
  bookingForm,
  createType,
  idFromLocation,
  local,
  pickedOf,
  pickerOptionsOf,
  pickerSearch,
  practiceAt,
  uniqueWord,
} from '#tests/functional/staff/appointments/helpers'

/*
| The search-first client picker of staff forms: posted (the term is never
| in a URL), limited to what the person may see, showing date of birth and
| a masked email, working with htmx and without JavaScript, rate-limited.
*/
const htmx = { 'hx-request': 'true' }

test.group('Staff: the client picker', () => {
  test('a clinician finds only clients of her caseload, by htmx and without JavaScript; the term is in no URL', async ({ assert }) => {
    const me = await createStaff('clinician')
    const colleague = await createStaff('clinician')
    const surname = uniqueWord('Pickwell')
    const mine = await createClient({ lastName: surname, firstName: 'Avery', primaryClinicianId: me.id, email: `avery@${surname.toLowerCase()}.test` })
    const seenByMe = await createClient({ lastName: surname, firstName: 'Blake', primaryClinicianId: colleague.id })
    await createAppointment(seenByMe, me)
    const stranger = await createClient({ lastName: surname, firstName: 'Casey', primaryClinicianId: colleague.id })
    const inactive = await createClient({ lastName: surname, firstName: 'Drew', primaryClinicianId: me.id, status: 'discharged' })
    const web = await signIn(me)
    await web.get('/appointments/new')

    // htmx: the matches alone, as radio buttons of the booking form.
    const typed = await web.post('/clients/picker', { term: surname.slice(0, 12), purpose: 'booking', returnTo: '/appointments/new' }, htmx)
    assert.equal(typed.status, 200)
    assert.notInclude(typed.text, '<html')
    assert.sameMembers(pickerOptionsOf(typed.text), [String(mine.id), String(seenByMe.id)])
    assert.notInclude(pickerOptionsOf(typed.text), String(stranger.id))
    assert.notInclude(pickerOptionsOf(typed.text), String(inactive.id))
    // Told apart by date of birth and a masked email; the address itself never shows.
    assert.include(typed.text, mine.choiceLabel)
    assert.include(typed.text, ' · born ')
    assert.notInclude(typed.text, `avery@${surname.toLowerCase()}.test`)

    // Without JavaScript: a redirect to the form (no term in it), which lists the same matches.
    const { response, page } = await pickerSearch(web, 'booking', '/appointments/new', surname)
    assert.equal(response.status, 302)
    assert.equal(response.location, '/appointments/new#clientId-picker')
    assert.notInclude(response.location!.toLowerCase(), surname.toLowerCase())
    assert.sameMembers(pickerOptionsOf(page.text), [String(mine.id), String(seenByMe.id)])
    // The search box shows the term back, and no link or action on the page carries it.
    assert.include(page.text, `value="${surname}"`)
    for (const url of page.text.matchAll(/(?:href|action|data-hx-[a-z]+)="([^"]*)"/g)) {
      assert.notInclude(url[1].toLowerCase(), surname.toLowerCase())
    }

    // How many matched is audited, never what was typed.
    const rows = await db.from('audit_events').where({ action: 'staff.clients.searched', actor_id: me.id })
    assert.isAtLeast(rows.length, 2)
    assert.notInclude(JSON.stringify(rows), surname)
    assert.deepEqual(rows[0].detail, { form: 'booking', resultCount: 2 })

    // A client outside the caseload cannot be booked even by sending the id.
    const type = await createType()
    const refused = await web.post('/appointments', bookingForm(stranger, me, type, practiceAt(250, 10)))
    assert.equal(refused.location, '/appointments/new')
    assert.isNull(await Appointment.query().where('clientId', stranger.id).first())
  })

  test('booking through the picker without JavaScript: search, choose, book', async ({ assert }) => {
    const admin = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const surname = uniqueWord('Bookwell')
    const client = await createClient({ lastName: surname })
    const type = await createType()
    const web = await signIn(admin)

    const startsAt = practiceAt(260, 9)
    // Arriving from a calendar slot: clinician and time filled in from the link.
    const formPath = `/appointments/new?provider=${clinician.id}&startsAt=${encodeURIComponent(local(startsAt))}`
    await web.get(formPath)
    const { page } = await pickerSearch(web, 'booking', formPath, surname)
    assert.deepEqual(pickerOptionsOf(page.text), [String(client.id)])
    assert.include(page.text, `value="${local(startsAt)}"`)

    const form = browserForm(page.text, '/appointments')
    // What the person does: tick the client, choose the type.
    form.entries = form.entries.filter(([name]) => !['term', 'appointmentTypeId'].includes(name))
    form.entries.push(['clientId', String(client.id)], ['appointmentTypeId', String(type.id)])
    assert.notInclude(form.entries.map(([name]) => name), 'term')
    const booked = await web.send(form)
    const id = idFromLocation(booked.location)
    assert.isNotNull(id, booked.location ?? '')
    const appointment = await Appointment.findOrFail(id)
    assert.equal(appointment.clientId, client.id)
    assert.equal(appointment.providerId, clinician.id)
    assert.equal(appointment.startsAt.toMillis(), startsAt.toMillis())
  })

  test('a client sent back with a problem stays chosen; a preselected client is chosen', async ({ assert }) => {
    const support = await createStaff('support_staff')
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const type = await createType()
    const web = await signIn(support)
    assert.equal(pickedOf((await web.get(`/appointments/new?client=${client.id}`)).text), String(client.id))

    const back = await web.post('/appointments', bookingForm(client, clinician, type, practiceAt(261, 9), { startsAt: 'soon' }))
    assert.equal(pickedOf((await web.follow(back)).text), String(client.id))
  })

  test('each form is the area of its page: a clinician may not search for an invitation or the audit log', async ({ assert }) => {
    const web = await signIn(await createStaff('clinician'))
    await web.get('/appointments/new')
    for (const purpose of ['invite', 'audit']) {
      const response = await web.post('/clients/picker', { term: 'a', purpose, returnTo: '/portal-settings' })
      assert.equal(response.status, 403, purpose)
    }
    // A return address that is not the form's own page goes to the form's page instead.
    const elsewhere = await web.post('/clients/picker', { term: 'a', purpose: 'booking', returnTo: 'https://evil.example/' })
    assert.equal(elsewhere.location, '/appointments/new#clientId-picker')
  })

  test('the invite form searches active clients with the same picker', async ({ assert }) => {
    const admin = await createStaff('admin')
    const surname = uniqueWord('Invitee')
    const active = await createClient({ lastName: surname })
    const discharged = await createClient({ lastName: surname, status: 'discharged' })
    const web = await signIn(admin)
    await web.get('/portal-settings')
    const { response, page } = await pickerSearch(web, 'invite', '/portal-settings', surname)
    assert.equal(response.location, '/portal-settings#clientId-picker')
    assert.deepEqual(pickerOptionsOf(page.text), [String(active.id)])
    assert.notInclude(pickerOptionsOf(page.text), String(discharged.id))
  })

  test('searches are rate-limited per staff member', async ({ assert }) => {
    const web = await signIn(await createStaff('support_staff'))
    await web.get('/appointments/new')
    let last = null
    for (let index = 0; index <= PICKER_SEARCHES_PER_MINUTE; index++) {
      last = await web.post('/clients/picker', { term: `x${index}`, purpose: 'booking' }, htmx)
    }
    assert.equal(last!.status, 200)
    assert.include(last!.text, 'Please wait a minute')
    const plain = await web.post('/clients/picker', { term: 'y', purpose: 'booking' })
    assert.equal(plain.status, 429)
  }).timeout(60_000)
})
