import { test } from '@japa/runner'
import Appointment from '#models/appointment'
import SessionNote from '#models/session_note'
import { practiceNow } from '#support/practice_time'
import { WebSession } from '#tests/helpers/web'
import { createAppointment, createClient, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { local, practiceAt, appointmentRows, pickerOptionsOf, pickerSearch, selectedOf, idFromLocation, createType, bookingForm } from '#tests/functional/staff/appointments/helpers'

test.group('Staff appointments: the list', () => {
  test('by default it shows this week, Monday to Sunday in the practice time zone', async ({ assert }) => {
    const admin = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const monday = practiceNow().startOf('week')
    const firstHalfHour = await createAppointment(client, clinician, { startsAt: monday.plus({ minutes: 30 }) })
    const sundayEvening = await createAppointment(client, clinician, { startsAt: monday.plus({ days: 6 }).set({ hour: 22 }) })
    // Sunday 22:30 of last week in the practice is already Monday in UTC: not this week.
    await createAppointment(client, clinician, { startsAt: monday.minus({ minutes: 90 }) })
    await createAppointment(client, clinician, { startsAt: monday.plus({ weeks: 1, minutes: 30 }) })
    const web = await signIn(admin)

    const page = await web.get(`/appointments?provider=${clinician.id}`)
    assert.equal(page.status, 200)
    assert.include(page.text, '<h1>Appointments</h1>')
    assert.lengthOf(page.text.match(/<h1>/g)!, 1)
    assert.deepEqual(appointmentRows(page.text), [firstHalfHour.id, sundayEvening.id])
    assert.match(page.text, /<th scope="col" class="sortable">\s*<a href="[^"]*sort=clinician[^"]*">Clinician</)
    assert.include(page.text, `value="${monday.toISODate()}"`)
    assert.include(page.text, `value="${monday.plus({ days: 6 }).toISODate()}"`)
    assert.include(page.text, client.lastName)
    assert.include(page.text, clinician.name)
  })

  test('a range of days and a clinician narrow the list', async ({ assert }) => {
    const support = await createStaff('support_staff')
    const [first, second] = [await createStaff('clinician'), await createStaff('clinician')]
    const client = await createClient()
    const start = practiceAt(200, 0)
    const onFirstDay = await createAppointment(client, first, { startsAt: start })
    const onLastDay = await createAppointment(client, first, { startsAt: start.plus({ days: 2 }).set({ hour: 23 }) })
    await createAppointment(client, first, { startsAt: start.plus({ days: 3 }) })
    await createAppointment(client, first, { startsAt: start.minus({ minutes: 60 }) })
    const otherClinician = await createAppointment(client, second, { startsAt: start.plus({ hours: 9 }) })
    const web = await signIn(support)

    const range = `from=${start.toISODate()}&to=${start.plus({ days: 2 }).toISODate()}`
    const byFirst = await web.get(`/appointments?${range}&provider=${first.id}`)
    assert.deepEqual(appointmentRows(byFirst.text), [onFirstDay.id, onLastDay.id])
    assert.equal(selectedOf(byFirst.text, 'filter-provider'), String(first.id))

    const both = await web.get(`/appointments?${range}`)
    const rows = appointmentRows(both.text)
    assert.includeMembers(rows, [onFirstDay.id, otherClinician.id, onLastDay.id])
    assert.isBelow(rows.indexOf(onFirstDay.id), rows.indexOf(otherClinician.id))

    // An htmx filter gets the list only, with Vary.
    const partial = await web.get(`/appointments?${range}&provider=${first.id}`, { 'HX-Request': 'true' })
    assert.notInclude(partial.text, '<html')
    assert.include(partial.text, 'id="appointment-list"')
    assert.deepEqual(appointmentRows(partial.text), [onFirstDay.id, onLastDay.id])
    assert.include(partial.headers.get('vary') ?? '', 'HX-Request')
  })

  test('bad filters are explained, not a crash', async ({ assert }) => {
    const web = await signIn(await createStaff('admin'))
    const impossible = await web.get('/appointments?from=2026-02-30')
    assert.equal(impossible.status, 422)
    assert.include(impossible.text, 'Please check this filter')
    assert.include(impossible.text, 'href="#filter-from"')

    const backwards = await web.get('/appointments?from=2026-03-10&to=2026-03-01')
    assert.equal(backwards.status, 422)
    assert.include(backwards.text, 'The end date is before the start date.')

    const tooLong = await web.get('/appointments?from=2026-01-01&to=2026-12-31')
    assert.equal(tooLong.status, 422)
    assert.include(tooLong.text, 'at most 92 days')
  })

  test('a visitor who is not signed in is sent to the staff sign-in', async ({ assert }) => {
    for (const path of ['/appointments', '/appointments/new', '/appointments/types', '/appointments/1']) {
      const response = await new WebSession().get(path)
      assert.equal(response.status, 302)
      assert.equal(response.location, '/login')
    }
  })
})

test.group('Staff appointments: a clinician and their caseload', () => {
  test('a clinician sees only appointments they provide or of clients in their caseload', async ({ assert }) => {
    const me = await createStaff('clinician')
    const colleague = await createStaff('clinician')
    const myClient = await createClient({ primaryClinicianId: me.id })
    const theirClient = await createClient({ primaryClinicianId: colleague.id })
    const start = practiceAt(230, 8)
    const mine = await createAppointment(theirClient, me, { startsAt: start })
    const myClientWithColleague = await createAppointment(myClient, colleague, { startsAt: start.plus({ hours: 2 }) })
    const outside = await createAppointment(await createClient({ primaryClinicianId: colleague.id }), colleague, {
      startsAt: start.plus({ hours: 4 }),
    })
    const web = await signIn(me)

    const list = await web.get(`/appointments?from=${start.toISODate()}&to=${start.toISODate()}`)
    assert.equal(list.status, 200)
    // theirClient is in my caseload now too (I provide one of their appointments).
    assert.sameMembers(appointmentRows(list.text), [mine.id, myClientWithColleague.id])

    assert.equal((await web.get(`/appointments/${mine.id}`)).status, 200)
    assert.equal((await web.get(`/appointments/${myClientWithColleague.id}`)).status, 200)

    // Outside the caseload: the same 404 as an appointment that does not exist, for every action.
    assert.equal((await web.get(`/appointments/${outside.id}`)).status, 404)
    assert.equal((await web.get(`/appointments/${outside.id}/edit`)).status, 404)
    await web.get('/appointments')
    const attempts: [string, Record<string, string>][] = [
      [`/appointments/${outside.id}`, { providerId: String(me.id), appointmentTypeId: String(outside.appointmentTypeId), startsAt: local(start.plus({ days: 1 })), modality: 'in_person' }],
      [`/appointments/${outside.id}/cancel`, {}],
      [`/appointments/${outside.id}/outcome`, { status: 'completed' }],
      [`/appointments/${outside.id}/note`, { body: 'not mine' }],
    ]
    for (const [path, form] of attempts) assert.equal((await web.post(path, form)).status, 404, path)
    await outside.refresh()
    assert.equal(outside.status, 'scheduled')
    assert.equal(outside.providerId, colleague.id)
    assert.isNull(await SessionNote.query().where('appointmentId', outside.id).first())
  })

  test('a clinician cannot book for a client outside their caseload', async ({ assert }) => {
    const me = await createStaff('clinician')
    const stranger = await createClient({ primaryClinicianId: (await createStaff('clinician')).id })
    const myClient = await createClient({ primaryClinicianId: me.id })
    const type = await createType()
    const web = await signIn(me)

    const form = await web.get('/appointments/new')
    const surnames = await pickerSearch(web, 'booking', '/appointments/new', myClient.lastName)
    assert.include(pickerOptionsOf(surnames.page.text), String(myClient.id))
    const strangers = await pickerSearch(web, 'booking', '/appointments/new', stranger.lastName)
    assert.notInclude(pickerOptionsOf(strangers.page.text), String(stranger.id))
    // The clinician is the suggested provider.
    assert.equal(selectedOf(form.text, 'field-providerId'), String(me.id))

    const response = await web.post('/appointments', bookingForm(stranger, me, type, practiceAt(240, 10)))
    assert.equal(response.location, '/appointments/new')
    const page = await web.follow(response)
    assert.include(page.text, 'Please choose one of the listed clients.')
    assert.isNull(await Appointment.query().where('clientId', stranger.id).first())

    const booked = await web.post('/appointments', bookingForm(myClient, me, type, practiceAt(240, 10)))
    assert.isNotNull(idFromLocation(booked.location))
  })
})
