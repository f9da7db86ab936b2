import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import Appointment from '#models/appointment'
import AppointmentType from '#models/appointment_type'
import SessionNote from '#models/session_note'
import type Client from '#models/client'
import type StaffUser from '#models/staff_user'
import { formatDateTime, formatTime, practiceNow } from '#support/practice_time'
import { WebSession } from '#tests/helpers/web'
import {
  createAppointment,
  createClient,
  createPortalAccount,
  createStaff,
  signedInPortal,
  signedInStaff,
} from '#tests/helpers/factories'

/*
| The database is shared by the whole run and never truncated, so every test
| makes its own clinicians and clients, and narrows lists to them (by
| clinician, or by a range of days far from anyone else's).
*/
let counter = 0
const uniqueWord = (label: string) =>
  `${label}${process.pid}x${++counter}x${Math.random().toString(36).slice(2, 8)}`

/** What a datetime-local input shows for this moment in the practice. */
const local = (moment: DateTime) => moment.setZone(practice.timeZone).toFormat("yyyy-MM-dd'T'HH:mm")

/** A time of day `days` from today, in the practice's time zone. */
const practiceAt = (days: number, hour: number, minute = 0) =>
  practiceNow().startOf('day').plus({ days }).set({ hour, minute })

/** Appointment ids in the order of the list's rows (their row headers link to them). */
function appointmentRows(html: string) {
  return [...html.matchAll(/<th scope="row"><a href="\/appointments\/(\d+)">/g)].map((match) => Number(match[1]))
}

/** The part of a page between an element's id and the end of its table. */
function tableById(html: string, id: string) {
  const start = html.indexOf(`id="${id}"`)
  return start === -1 ? '' : html.slice(start, html.indexOf('</table>', start))
}

/** The option values of one select of a form. */
function optionsOf(html: string, selectId: string) {
  const start = html.indexOf(`<select id="${selectId}"`)
  if (start === -1) return []
  const select = html.slice(start, html.indexOf('</select>', start))
  return [...select.matchAll(/<option value="([^"]*)"/g)].map((match) => match[1])
}

/** The value of the chosen option of one select. */
function selectedOf(html: string, selectId: string) {
  const start = html.indexOf(`<select id="${selectId}"`)
  if (start === -1) return null
  const select = html.slice(start, html.indexOf('</select>', start))
  return select.match(/<option value="([^"]*)" selected>/)?.[1] ?? null
}

/** Text as a regular expression matches it literally. */
function escaped(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The error shown next to a field of a form page. */
function fieldError(html: string, field: string) {
  return html.match(new RegExp(`id="field-${field}-error">([^<]*)<`))?.[1] ?? null
}

function idFromLocation(location: string | null) {
  const match = location?.match(/^\/appointments\/(\d+)$/)
  return match ? Number(match[1]) : null
}

async function createType(attributes: Partial<AppointmentType> = {}) {
  return AppointmentType.create({ name: uniqueWord('Type'), defaultMinutes: 50, isTelehealth: false, isActive: true, ...attributes })
}

function bookingForm(
  client: Client,
  provider: StaffUser,
  type: AppointmentType,
  startsAt: DateTime,
  changes: Record<string, string> = {}
) {
  return {
    clientId: String(client.id),
    providerId: String(provider.id),
    appointmentTypeId: String(type.id),
    startsAt: local(startsAt),
    endsAt: '',
    modality: 'in_person',
    location: 'Suite 210',
    ...changes,
  }
}

function auditRows(action: string, actorId: number) {
  return db.from('audit_events').where({ action, actor_kind: 'staff', actor_id: actorId }).orderBy('id', 'asc')
}

/** Rows of a table whose any column, as text, contains `text`. */
async function rowsContaining(table: string, text: string) {
  const exists = await db.rawQuery('select to_regclass(?) as name', [`public.${table}`])
  if (!exists.rows[0].name) return []
  const found = await db.rawQuery(`select * from ${table} t where row_to_json(t)::text ilike ?`, [`%${text}%`])
  return found.rows
}

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
    const web = await signedInStaff(admin)

    const page = await web.get(`/appointments?provider=${clinician.id}`)
    assert.equal(page.status, 200)
    assert.include(page.text, '<h1>Appointments</h1>')
    assert.lengthOf(page.text.match(/<h1>/g)!, 1)
    assert.deepEqual(appointmentRows(page.text), [firstHalfHour.id, sundayEvening.id])
    assert.include(page.text, '<th scope="col">Clinician</th>')
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
    const web = await signedInStaff(support)

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
    const web = await signedInStaff(await createStaff('admin'))
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
    const web = await signedInStaff(me)

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
    const web = await signedInStaff(me)

    const form = await web.get('/appointments/new')
    assert.include(optionsOf(form.text, 'field-clientId'), String(myClient.id))
    assert.notInclude(optionsOf(form.text, 'field-clientId'), String(stranger.id))
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

test.group('Staff appointments: booking', () => {
  test('booking reads the times in the practice time zone, fills the end from the type, and is audited', async ({ assert }) => {
    const admin = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const type = await createType({ defaultMinutes: 45, isTelehealth: true })
    const web = await signedInStaff(admin)

    const form = await web.get(`/appointments/new?client=${client.id}`)
    assert.equal(form.status, 200)
    assert.include(form.text, '<h1>Book an appointment</h1>')
    assert.equal(selectedOf(form.text, 'field-clientId'), String(client.id))
    // From the client's page only that client is offered, with a way to choose another.
    assert.deepEqual(optionsOf(form.text, 'field-clientId'), ['', String(client.id)])
    assert.include(form.text, 'href="/appointments/new">Book for another client</a>')
    assert.include(optionsOf((await web.get('/appointments/new')).text, 'field-clientId'), String(client.id))
    assert.include(form.text, 'type="datetime-local"')
    assert.include(form.text, '<label for="field-startsAt">Starts</label>')

    const startsAt = practiceAt(20, 14, 30)
    const response = await web.post(
      '/appointments',
      bookingForm(client, clinician, type, startsAt, { modality: 'telehealth', location: 'Link by email' })
    )
    const id = idFromLocation(response.location)
    assert.isNotNull(id)
    const appointment = await Appointment.findOrFail(id)
    assert.equal(appointment.clientId, client.id)
    assert.equal(appointment.providerId, clinician.id)
    assert.equal(appointment.startsAt.toMillis(), startsAt.toMillis())
    assert.equal(appointment.endsAt.toMillis(), startsAt.plus({ minutes: 45 }).toMillis())
    assert.equal(appointment.status, 'scheduled')
    assert.isTrue(appointment.isTelehealth)
    assert.equal(appointment.location, 'Link by email')

    const page = await web.follow(response)
    assert.include(page.text, 'The appointment is booked.')
    assert.include(page.text, client.lastName)
    assert.include(page.text, '2:30')

    const [row] = await auditRows('staff.appointment.created', admin.id)
    assert.equal(row.client_id, client.id)
    assert.deepEqual(row.detail, { appointmentId: appointment.id, providerId: clinician.id, status: 'scheduled' })
  })

  test('an explicit end is kept; validation errors are shown next to their fields, input kept', async ({ assert }) => {
    const support = await createStaff('support_staff')
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const type = await createType()
    const web = await signedInStaff(support)
    await web.get('/appointments/new')

    const startsAt = practiceAt(21, 9)
    const backwards = await web.post(
      '/appointments',
      bookingForm(client, clinician, type, startsAt, { endsAt: local(startsAt.minus({ hours: 1 })), appointmentTypeId: '', location: 'Kept-room' })
    )
    assert.equal(backwards.status, 302)
    assert.equal(backwards.location, '/appointments/new')
    const page = await web.follow(backwards)
    assert.include(page.text, 'class="error-summary"')
    assert.include(page.text, 'href="#field-endsAt"')
    assert.match(page.text, /id="field-endsAt-error">The end must be after the start\.</)
    assert.match(page.text, /id="field-appointmentTypeId-error">Please choose the type of appointment\.</)
    assert.include(page.text, `value="${local(startsAt)}"`)
    assert.include(page.text, 'value="Kept-room"')
    assert.equal(selectedOf(page.text, 'field-clientId'), String(client.id))
    assert.equal(selectedOf(page.text, 'field-providerId'), String(clinician.id))

    const garbled = await web.post('/appointments', bookingForm(client, clinician, type, startsAt, { startsAt: 'next tuesday' }))
    assert.include((await web.follow(garbled)).text, 'Please enter a date and time')

    const notAClinician = await web.post('/appointments', bookingForm(client, support, type, startsAt))
    assert.include((await web.follow(notAClinician)).text, 'Please choose one of the listed clinicians.')

    const inactive = await createClient({ status: 'discharged' })
    const forInactive = await web.post('/appointments', bookingForm(inactive, clinician, type, startsAt))
    assert.include((await web.follow(forInactive)).text, 'This client is not active')

    const retired = await createType({ isActive: false })
    const withRetiredType = await web.post('/appointments', bookingForm(client, clinician, retired, startsAt))
    assert.include((await web.follow(withRetiredType)).text, 'Please choose one of the listed types.')

    assert.equal(await countFor(clinician), 0)

    const ok = await web.post('/appointments', bookingForm(client, clinician, type, startsAt, { endsAt: local(startsAt.plus({ minutes: 90 })) }))
    const appointment = await Appointment.findOrFail(idFromLocation(ok.location))
    assert.equal(appointment.durationMinutes, 90)
  })

  test('two bookings of one clinician at the same time sent together: exactly one succeeds', async ({ assert }) => {
    const clinician = await createStaff('clinician', { name: uniqueWord('Dr Busy') })
    const [first, second] = [await createClient(), await createClient()]
    const type = await createType()
    const [webA, webB] = [await signedInStaff(await createStaff('admin')), await signedInStaff(await createStaff('support_staff'))]
    await Promise.all([webA.get('/appointments/new'), webB.get('/appointments/new')])

    const startsAt = practiceAt(22, 11)
    const [a, b] = await Promise.all([
      webA.post('/appointments', bookingForm(first, clinician, type, startsAt, { location: 'Room-A' })),
      webB.post('/appointments', bookingForm(second, clinician, type, startsAt, { location: 'Room-B' })),
    ])
    const outcomes = [a, b].map((response) => idFromLocation(response.location))
    assert.lengthOf(outcomes.filter((id) => id !== null), 1)
    assert.equal(await countFor(clinician), 1)

    const [refused, web, client, room] = outcomes[0] === null ? [a, webA, first, 'Room-A'] : [b, webB, second, 'Room-B']
    assert.equal(refused.location, '/appointments/new')
    const page = await web.follow(refused)
    assert.match(page.text, new RegExp(`id="field-startsAt-error">${clinician.name} already has an appointment from `))
    assert.include(page.text, 'href="#field-startsAt"')
    assert.include(page.text, `value="${local(startsAt)}"`)
    assert.include(page.text, `value="${room}"`)
    assert.equal(selectedOf(page.text, 'field-clientId'), String(client.id))
  })

  test('an overlapping booking is refused; a cancelled appointment frees its time', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const type = await createType()
    const startsAt = practiceAt(23, 10)
    const existing = await createAppointment(client, clinician, { startsAt, endsAt: startsAt.plus({ minutes: 50 }) })
    const web = await signedInStaff(await createStaff('admin'))
    await web.get('/appointments/new')

    const overlapping = await web.post('/appointments', bookingForm(client, clinician, type, startsAt.plus({ minutes: 30 })))
    assert.include((await web.follow(overlapping)).text, 'already has an appointment from')
    // Back to back is fine.
    const next = await web.post('/appointments', bookingForm(client, clinician, type, startsAt.plus({ minutes: 50 })))
    assert.isNotNull(idFromLocation(next.location))

    await existing.merge({ status: 'cancelled' }).save()
    const again = await web.post('/appointments', bookingForm(client, clinician, type, startsAt))
    assert.isNotNull(idFromLocation(again.location))
  })

  test('a clash names the other appointment\'s time (not its client) and offers the next three free times of the same length', async ({ assert }) => {
    const clinician = await createStaff('clinician', { name: uniqueWord('Dr Full') })
    const [client, otherClient] = [await createClient(), await createClient()]
    const type = await createType({ defaultMinutes: 50 })
    // A Monday well ahead: the free times run from Monday into Tuesday.
    const monday = practiceNow().startOf('week').plus({ weeks: 9 })
    const at = (day: DateTime, hour: number, minute = 0) => day.set({ hour, minute })
    const tuesday = monday.plus({ days: 1 })
    const first = await createAppointment(otherClient, clinician, { startsAt: at(monday, 9), endsAt: at(monday, 9, 50) })
    await createAppointment(otherClient, clinician, { startsAt: at(monday, 10), endsAt: at(monday, 11) })
    await createAppointment(otherClient, clinician, { startsAt: at(monday, 11, 50), endsAt: at(monday, 17, 30) })
    // A cancelled appointment does not take its time; a colleague's appointments are not this clinician's.
    await createAppointment(otherClient, clinician, { startsAt: at(tuesday, 8), endsAt: at(tuesday, 9), status: 'cancelled' })
    await createAppointment(otherClient, await createStaff('clinician'), { startsAt: at(tuesday, 8, 50), endsAt: at(tuesday, 10) })
    const web = await signedInStaff(await createStaff('admin'))
    await web.get('/appointments/new')

    const refused = await web.post('/appointments', bookingForm(client, clinician, type, at(monday, 9, 30)))
    assert.equal(refused.location, '/appointments/new')
    const page = await web.follow(refused)
    const message = fieldError(page.text, 'startsAt')
    assert.isNotNull(message)
    assert.equal(
      message,
      `${clinician.name} already has an appointment from ${formatDateTime(first.startsAt)} to ${formatTime(first.endsAt)}. ` +
        `Free times of the same length (50 minutes): ${formatDateTime(at(monday, 11))}; ${formatDateTime(at(tuesday, 8))}; ${formatDateTime(at(tuesday, 8, 50))}.`
    )
    // The other client's name is in the form's client choices, never in the message.
    assert.notInclude(message!, otherClient.lastName)
    assert.notInclude(page.text.slice(page.text.indexOf('class="error-summary"'), page.text.indexOf('<form')), otherClient.lastName)
    assert.equal(await Appointment.query().where('clientId', client.id).first(), null)

    // An explicit end gives the length; the hours run 8:00 to 18:00, Monday to Friday.
    const friday = monday.plus({ days: 4 })
    await createAppointment(otherClient, clinician, { startsAt: at(friday, 8), endsAt: at(friday, 17) })
    const late = await web.post(
      '/appointments',
      bookingForm(client, clinician, type, at(friday, 16), { endsAt: local(at(friday, 17, 30)) })
    )
    const lateMessage = fieldError((await web.follow(late)).text, 'startsAt')!
    const nextMonday = monday.plus({ weeks: 1 })
    assert.include(
      lateMessage,
      `Free times of the same length (90 minutes): ${formatDateTime(at(nextMonday, 8))}; ${formatDateTime(at(nextMonday, 9, 30))}; ${formatDateTime(at(nextMonday, 11))}.`
    )

    // A suggested time books.
    const booked = await web.post('/appointments', bookingForm(client, clinician, type, at(monday, 11)))
    assert.isNotNull(idFromLocation(booked.location))
  })
})

async function countFor(provider: StaffUser) {
  const rows = await Appointment.query().where('providerId', provider.id)
  return rows.length
}

test.group('Staff appointments: reschedule, cancel, outcome', () => {
  test('rescheduling changes time, clinician, type and place, and is audited', async ({ assert }) => {
    const admin = await createStaff('admin')
    const [before, after] = [await createStaff('clinician'), await createStaff('clinician')]
    const client = await createClient()
    const type = await createType({ defaultMinutes: 30 })
    const appointment = await createAppointment(client, before, { startsAt: practiceAt(30, 9) })
    const web = await signedInStaff(admin)

    const form = await web.get(`/appointments/${appointment.id}/edit`)
    assert.equal(form.status, 200)
    assert.include(form.text, `value="${local(appointment.startsAt)}"`)
    assert.equal(selectedOf(form.text, 'field-providerId'), String(before.id))
    assert.notInclude(form.text, 'name="clientId"')

    const startsAt = practiceAt(31, 15, 15)
    const response = await web.post(`/appointments/${appointment.id}`, {
      providerId: String(after.id),
      appointmentTypeId: String(type.id),
      startsAt: local(startsAt),
      endsAt: '',
      modality: 'telehealth',
      location: '',
    })
    assert.equal(response.location, `/appointments/${appointment.id}`)
    await appointment.refresh()
    assert.equal(appointment.providerId, after.id)
    assert.equal(appointment.appointmentTypeId, type.id)
    assert.equal(appointment.startsAt.toMillis(), startsAt.toMillis())
    assert.equal(appointment.endsAt.toMillis(), startsAt.plus({ minutes: 30 }).toMillis())
    assert.isTrue(appointment.isTelehealth)
    assert.isNull(appointment.location)
    assert.include((await web.follow(response)).text, 'The appointment is rescheduled.')

    const rows = await auditRows('staff.appointment.rescheduled', admin.id)
    assert.lengthOf(rows, 1)
    assert.deepEqual(rows[0].detail, { appointmentId: appointment.id, providerId: after.id })

    // Saving the same values again changes nothing and writes no audit event.
    await web.get(`/appointments/${appointment.id}/edit`)
    const same = await web.post(`/appointments/${appointment.id}`, {
      providerId: String(after.id),
      appointmentTypeId: String(type.id),
      startsAt: local(startsAt),
      endsAt: local(startsAt.plus({ minutes: 30 })),
      modality: 'telehealth',
    })
    assert.include((await web.follow(same)).text, 'Nothing was changed.')
    assert.lengthOf(await auditRows('staff.appointment.rescheduled', admin.id), 1)
  })

  test('rescheduling into a booked time shows the double-booking error and changes nothing', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const busy = await createAppointment(client, clinician, { startsAt: practiceAt(32, 9) })
    const moving = await createAppointment(client, clinician, { startsAt: practiceAt(32, 13) })
    const web = await signedInStaff(await createStaff('support_staff'))
    await web.get(`/appointments/${moving.id}/edit`)

    const response = await web.post(`/appointments/${moving.id}`, {
      providerId: String(clinician.id),
      appointmentTypeId: String(moving.appointmentTypeId),
      startsAt: local(busy.startsAt.plus({ minutes: 10 })),
      modality: 'in_person',
      location: 'Kept-location',
    })
    assert.equal(response.location, `/appointments/${moving.id}/edit`)
    const page = await web.follow(response)
    assert.match(page.text, new RegExp(`id="field-startsAt-error">${clinician.name} already has an appointment from ${escaped(formatDateTime(busy.startsAt))} to ${escaped(formatTime(busy.endsAt))}\\.`))
    assert.include(page.text, `value="${local(busy.startsAt.plus({ minutes: 10 }))}"`)
    assert.include(page.text, 'value="Kept-location"')
    const unchanged = await Appointment.findOrFail(moving.id)
    assert.equal(unchanged.startsAt.toMillis(), moving.startsAt.toMillis())
  })

  test('rescheduling offers the appointment\'s own time among the free times: moving it frees it', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const monday = practiceNow().startOf('week').plus({ weeks: 11 })
    const at = (hour: number, minute = 0) => monday.set({ hour, minute })
    await createAppointment(client, clinician, { startsAt: at(9), endsAt: at(9, 50) })
    await createAppointment(client, clinician, { startsAt: at(9, 50), endsAt: at(12) })
    const moving = await createAppointment(client, clinician, { startsAt: at(12), endsAt: at(12, 50) })
    const web = await signedInStaff(await createStaff('admin'))
    await web.get(`/appointments/${moving.id}/edit`)

    const response = await web.post(`/appointments/${moving.id}`, {
      providerId: String(clinician.id),
      appointmentTypeId: String(moving.appointmentTypeId),
      startsAt: local(at(9, 10)),
      endsAt: local(at(10)),
      modality: 'in_person',
    })
    const message = fieldError((await web.follow(response)).text, 'startsAt')!
    assert.include(message, `from ${formatDateTime(at(9))} to ${formatTime(at(9, 50))}.`)
    assert.include(message, `(50 minutes): ${formatDateTime(at(12))}; ${formatDateTime(at(12, 50))}; ${formatDateTime(at(13, 40))}.`)
  })

  test('cancelling more than 24 hours ahead is a cancellation, and audited', async ({ assert }) => {
    const support = await createStaff('support_staff')
    const appointment = await createAppointment(await createClient(), await createStaff('clinician'), {
      startsAt: DateTime.now().plus({ hours: 30 }),
    })
    const web = await signedInStaff(support)
    const page = await web.get(`/appointments/${appointment.id}`)
    assert.include(page.text, 'not a late cancellation')
    assert.notInclude(page.text, 'name="notLate"')

    const response = await web.post(`/appointments/${appointment.id}/cancel`, {})
    assert.equal(response.location, `/appointments/${appointment.id}`)
    await appointment.refresh()
    assert.equal(appointment.status, 'cancelled')
    assert.isNotNull(appointment.cancelledAt)
    assert.include((await web.follow(response)).text, 'The appointment is cancelled.')

    const [row] = await auditRows('staff.appointment.cancelled', support.id)
    assert.deepEqual(row.detail, { appointmentId: appointment.id, from: 'scheduled', to: 'cancelled' })

    // Cancelling again changes nothing; nor can it be rescheduled.
    await web.post(`/appointments/${appointment.id}/cancel`, {})
    assert.lengthOf(await auditRows('staff.appointment.cancelled', support.id), 1)
    const edit = await web.get(`/appointments/${appointment.id}/edit`)
    assert.equal(edit.location, `/appointments/${appointment.id}`)
  })

  test('cancelling less than 24 hours ahead is a late cancellation unless staff say otherwise', async ({ assert }) => {
    const admin = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const late = await createAppointment(client, clinician, { startsAt: DateTime.now().plus({ hours: 20 }) })
    const excused = await createAppointment(client, clinician, { startsAt: DateTime.now().plus({ hours: 5 }) })
    const web = await signedInStaff(admin)

    const page = await web.get(`/appointments/${late.id}`)
    assert.include(page.text, 'recorded as a <strong>late cancellation</strong>')
    assert.include(page.text, 'name="notLate"')
    const response = await web.post(`/appointments/${late.id}/cancel`, {})
    await late.refresh()
    assert.equal(late.status, 'late_cancelled')
    assert.include((await web.follow(response)).text, 'recorded as a late cancellation')

    await web.get(`/appointments/${excused.id}`)
    await web.post(`/appointments/${excused.id}/cancel`, { notLate: '1' })
    await excused.refresh()
    assert.equal(excused.status, 'cancelled')

    const rows = await auditRows('staff.appointment.cancelled', admin.id)
    assert.deepEqual(
      rows.map((row) => row.detail),
      [
        { appointmentId: late.id, from: 'scheduled', to: 'late_cancelled' },
        { appointmentId: excused.id, from: 'scheduled', to: 'cancelled' },
      ]
    )
  })

  test('attended and missed only once the appointment has started', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: clinician.id })
    const future = await createAppointment(client, clinician, { startsAt: DateTime.now().plus({ days: 2 }) })
    const started = await createAppointment(client, clinician, { startsAt: DateTime.now().minus({ minutes: 20 }) })
    const cancelled = await createAppointment(client, clinician, { startsAt: DateTime.now().minus({ days: 2 }), status: 'cancelled' })
    const web = await signedInStaff(clinician)

    const futurePage = await web.get(`/appointments/${future.id}`)
    assert.notInclude(futurePage.text, 'Mark attended')
    const early = await web.post(`/appointments/${future.id}/outcome`, { status: 'completed' })
    assert.include((await web.follow(early)).text, 'has not started yet')
    await future.refresh()
    assert.equal(future.status, 'scheduled')

    const startedPage = await web.get(`/appointments/${started.id}`)
    assert.include(startedPage.text, 'Mark attended')
    assert.include(startedPage.text, 'Mark missed')
    const completed = await web.post(`/appointments/${started.id}/outcome`, { status: 'completed' })
    assert.include((await web.follow(completed)).text, 'The appointment is marked attended.')
    await started.refresh()
    assert.equal(started.status, 'completed')

    // A mistake can be corrected.
    await web.post(`/appointments/${started.id}/outcome`, { status: 'no_show' })
    await started.refresh()
    assert.equal(started.status, 'no_show')

    await web.get(`/appointments/${cancelled.id}`)
    await web.post(`/appointments/${cancelled.id}/outcome`, { status: 'completed' })
    await cancelled.refresh()
    assert.equal(cancelled.status, 'cancelled')

    const invalid = await web.post(`/appointments/${started.id}/outcome`, { status: 'late_cancelled' })
    assert.equal(invalid.status, 302)
    await started.refresh()
    assert.equal(started.status, 'no_show')

    const rows = await auditRows('staff.appointment.status_changed', clinician.id)
    assert.deepEqual(
      rows.map((row) => row.detail),
      [
        { appointmentId: started.id, from: 'scheduled', to: 'completed' },
        { appointmentId: started.id, from: 'completed', to: 'no_show' },
      ]
    )
  })
})

test.group('Staff appointments: a past appointment', () => {
  test('its page offers only the outcome: no reschedule, no cancel, no late-cancellation warning', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: clinician.id })
    // This morning's appointment, still "scheduled": nobody recorded what happened yet.
    const past = await createAppointment(client, clinician, { startsAt: DateTime.now().minus({ hours: 2 }) })
    for (const staff of [clinician, await createStaff('admin')]) {
      const web = await signedInStaff(staff)
      const page = await web.get(`/appointments/${past.id}`)
      assert.equal(page.status, 200)
      assert.include(page.text, 'id="appointment-status">Attendance not recorded yet<')
      assert.include(page.text, 'Mark attended')
      assert.include(page.text, 'Mark missed')
      assert.notInclude(page.text, `href="/appointments/${past.id}/edit"`)
      assert.notInclude(page.text, 'Reschedule')
      assert.notInclude(page.text, `action="/appointments/${past.id}/cancel"`)
      assert.notInclude(page.text, 'Cancel this appointment')
      assert.notInclude(page.text, 'late cancellation')

      // The reschedule form is not offered either.
      const edit = await web.get(`/appointments/${past.id}/edit`)
      assert.equal(edit.location, `/appointments/${past.id}`)
      assert.include((await web.follow(edit)).text, 'start time has passed, so it can no longer be rescheduled or cancelled')
    }
  })

  test('the server refuses to reschedule or cancel it, calmly, and changes nothing', async ({ assert }) => {
    const admin = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const past = await createAppointment(await createClient(), clinician, { startsAt: DateTime.now().minus({ minutes: 20 }) })
    const web = await signedInStaff(admin)
    await web.get(`/appointments/${past.id}`)

    const moved = await web.post(`/appointments/${past.id}`, {
      providerId: String(clinician.id),
      appointmentTypeId: String(past.appointmentTypeId),
      startsAt: local(practiceAt(40, 10)),
      endsAt: '',
      modality: 'in_person',
      location: 'Elsewhere',
    })
    assert.equal(moved.status, 302)
    assert.equal(moved.location, `/appointments/${past.id}`)
    const afterMove = await web.follow(moved)
    assert.equal(afterMove.status, 200)
    assert.include(afterMove.text, 'start time has passed, so it can no longer be rescheduled or cancelled')
    assert.notInclude(afterMove.text, 'The appointment is rescheduled.')

    const cancelled = await web.post(`/appointments/${past.id}/cancel`, {})
    assert.equal(cancelled.status, 302)
    assert.equal(cancelled.location, `/appointments/${past.id}`)
    const afterCancel = await web.follow(cancelled)
    assert.include(afterCancel.text, 'start time has passed, so it can no longer be rescheduled or cancelled')
    assert.notInclude(afterCancel.text, 'The appointment is cancelled')

    const unchanged = await Appointment.findOrFail(past.id)
    assert.equal(unchanged.status, 'scheduled')
    assert.isNull(unchanged.cancelledAt)
    assert.equal(unchanged.startsAt.toMillis(), past.startsAt.toMillis())
    assert.equal(unchanged.location, past.location)
    assert.lengthOf(await auditRows('staff.appointment.rescheduled', admin.id), 0)
    assert.lengthOf(await auditRows('staff.appointment.cancelled', admin.id), 0)

    // What it does take: the outcome.
    await web.post(`/appointments/${past.id}/outcome`, { status: 'no_show' })
    await unchanged.refresh()
    assert.equal(unchanged.status, 'no_show')
  })
})

test.group('Staff appointments: one vocabulary for outcomes', () => {
  test('staff pages and the portal say "Attended" and "Missed"', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: clinician.id })
    const attended = await createAppointment(client, clinician, { startsAt: DateTime.now().minus({ days: 8 }), status: 'completed' })
    const missed = await createAppointment(client, clinician, { startsAt: DateTime.now().minus({ days: 15 }), status: 'no_show' })
    const web = await signedInStaff(clinician)

    assert.include((await web.get(`/appointments/${attended.id}`)).text, 'id="appointment-status">Attended<')
    assert.include((await web.get(`/appointments/${missed.id}`)).text, 'id="appointment-status">Missed<')
    const lastWeeks = `from=${practiceAt(-16, 0).toISODate()}&to=${practiceAt(-7, 0).toISODate()}&provider=${clinician.id}`
    const staffPages = [(await web.get(`/appointments?${lastWeeks}`)).text, (await web.get(`/clients/${client.id}`)).text]
    const portal = await signedInPortal(await createPortalAccount(client))
    const portalPages = [
      (await portal.get('/portal/appointments?tab=past')).text,
      (await portal.get(`/portal/appointments/${attended.id}`)).text,
      (await portal.get(`/portal/appointments/${missed.id}`)).text,
    ]
    for (const text of staffPages) {
      assert.include(text, '>Attended<')
      assert.include(text, '>Missed<')
    }
    assert.include(portalPages[0], 'Attended')
    assert.include(portalPages[0], 'Missed')
    assert.include(portalPages[1], 'Attended')
    assert.include(portalPages[2], 'Missed')
    for (const text of [...staffPages, ...portalPages]) {
      assert.notInclude(text, 'Completed')
      assert.notInclude(text, 'No-show')
    }
  })
})

test.group('Staff appointments: appointment types', () => {
  for (const role of ['ceo', 'admin'] as const) {
    test(`a ${role} lists, adds, changes, deactivates and offers again a type`, async ({ assert }) => {
      const staff = await createStaff(role)
      const web = await signedInStaff(staff)
      const name = uniqueWord('Couples therapy')

      const list = await web.get('/appointments/types')
      assert.equal(list.status, 200)
      assert.include(list.text, '<h1>Appointment types</h1>')
      assert.include((await web.get('/appointments')).text, 'href="/appointments/types"')

      const added = await web.post('/appointments/types', { name, defaultMinutes: '80', isTelehealth: '1' })
      assert.equal(added.location, '/appointments/types')
      const type = await AppointmentType.findByOrFail('name', name)
      assert.equal(type.defaultMinutes, 80)
      assert.isTrue(type.isTelehealth)
      assert.isTrue(type.isActive)
      assert.include((await web.follow(added)).text, `<th scope="row">${name}</th>`)

      await web.get(`/appointments/types/${type.id}/edit`)
      const renamed = `${name} (renamed)`
      const changed = await web.post(`/appointments/types/${type.id}`, { name: renamed, defaultMinutes: '60' })
      assert.equal(changed.location, '/appointments/types')
      await type.refresh()
      assert.equal(type.name, renamed)
      assert.equal(type.defaultMinutes, 60)
      assert.isFalse(type.isTelehealth)

      await web.post(`/appointments/types/${type.id}/deactivate`, {})
      await type.refresh()
      assert.isFalse(type.isActive)
      assert.notInclude(optionsOf((await web.get('/appointments/new')).text, 'field-appointmentTypeId'), String(type.id))

      await web.get('/appointments/types')
      await web.post(`/appointments/types/${type.id}/activate`, {})
      await type.refresh()
      assert.isTrue(type.isActive)
      assert.include(optionsOf((await web.get('/appointments/new')).text, 'field-appointmentTypeId'), String(type.id))

      const actions = (await db.from('audit_events').where({ actor_id: staff.id, actor_kind: 'staff' }).whereLike('action', 'staff.appointment_type.%').orderBy('id')).map((row) => row.action)
      assert.deepEqual(actions, [
        'staff.appointment_type.created',
        'staff.appointment_type.updated',
        'staff.appointment_type.deactivated',
        'staff.appointment_type.activated',
      ])
    })
  }

  test('a type name is unique whatever its letter case; lengths are checked', async ({ assert }) => {
    const existing = await createType()
    const web = await signedInStaff(await createStaff('admin'))
    await web.get('/appointments/types')

    const duplicate = await web.post('/appointments/types', { name: existing.name.toUpperCase(), defaultMinutes: '50' })
    const page = await web.follow(duplicate)
    assert.include(page.text, 'There is already a type with this name.')
    assert.include(page.text, `value="${existing.name.toUpperCase()}"`)

    const tooLong = await web.post('/appointments/types', { name: uniqueWord('Long'), defaultMinutes: '600' })
    assert.include((await web.follow(tooLong)).text, 'Please give a length from 5 to 480 minutes.')
  })

  for (const role of ['support_staff', 'clinician'] as const) {
    test(`a ${role} may not manage types (403)`, async ({ assert }) => {
      const type = await createType()
      const web = await signedInStaff(await createStaff(role))
      assert.equal((await web.get('/appointments/types')).status, 403)
      assert.equal((await web.get(`/appointments/types/${type.id}/edit`)).status, 403)
      assert.notInclude((await web.get('/appointments')).text, 'href="/appointments/types"')
      for (const [path, form] of [
        ['/appointments/types', { name: uniqueWord('Sneaky'), defaultMinutes: '50' }],
        [`/appointments/types/${type.id}`, { name: uniqueWord('Sneaky'), defaultMinutes: '50' }],
        [`/appointments/types/${type.id}/deactivate`, {}],
      ] as const) {
        assert.equal((await web.post(path, form)).status, 403)
      }
      await type.refresh()
      assert.isTrue(type.isActive)
    })
  }
})

/** A client with a portal account, their clinician (the provider) and an appointment with a note. */
async function appointmentWithNote(marker: string) {
  const provider = await createStaff('clinician')
  const primary = await createStaff('clinician')
  const client = await createClient({ primaryClinicianId: primary.id })
  const appointment = await createAppointment(client, provider, { startsAt: practiceAt(0, 0, 5) })
  const web = await signedInStaff(provider)
  const page = await web.get(`/appointments/${appointment.id}`)
  assert_(page.text.includes('Write the note'), 'the provider sees the note form')
  const saved = await web.post(`/appointments/${appointment.id}/note`, { body: `Session went well. ${marker}` })
  assert_(saved.location === `/appointments/${appointment.id}#session-note`, `note saved: ${saved.status} ${saved.location}`)
  return { provider, primary, client, appointment, providerWeb: web }
}

function assert_(condition: boolean, message: string) {
  if (!condition) throw new Error(message)
}

test.group('Staff appointments: session notes', () => {
  test('the provider writes, reads and changes the note; reads and writes are audited without the text', async ({ assert }) => {
    const marker = uniqueWord('NOTEMARKER')
    const { provider, appointment, providerWeb } = await appointmentWithNote(marker)

    const page = await providerWeb.get(`/appointments/${appointment.id}`)
    assert.include(page.text, 'The session note is saved.')
    assert.include(page.text, marker)
    assert.include(page.text, 'Only you can read and change this note.')

    await providerWeb.post(`/appointments/${appointment.id}/note`, { body: `Updated. ${marker}-2` })
    const notes = await SessionNote.query().where('appointmentId', appointment.id)
    assert.lengthOf(notes, 1)
    assert.equal(notes[0].body, `Updated. ${marker}-2`)
    assert.equal(notes[0].authorId, provider.id)

    const written = await auditRows('staff.session_note.written', provider.id)
    const viewed = await auditRows('staff.session_note.viewed', provider.id)
    assert.lengthOf(written, 2)
    assert.lengthOf(viewed, 1)
    for (const row of [...written, ...viewed]) {
      assert.deepEqual(row.detail, { appointmentId: appointment.id })
      assert.equal(row.client_id, appointment.clientId)
    }
  })

  test('an empty or too long note is refused and shown again, without going through the session', async ({ assert }) => {
    const marker = uniqueWord('DRAFTMARKER')
    const { appointment, providerWeb } = await appointmentWithNote(uniqueWord('FIRST'))

    const empty = await providerWeb.post(`/appointments/${appointment.id}/note`, { body: '   ' })
    assert.equal(empty.status, 422)
    assert.include(empty.text, 'Please write the note before saving.')
    assert.include(empty.text, 'aria-invalid="true"')

    const long = `${marker} ${'x'.repeat(20_001)}`
    const tooLong = await providerWeb.post(`/appointments/${appointment.id}/note`, { body: long })
    assert.equal(tooLong.status, 422)
    assert.include(tooLong.text, 'Please keep the note to 20,000 characters or fewer.')
    assert.include(tooLong.text, marker)
    assert.lengthOf(await rowsContaining('sessions', marker), 0)
    const note = await SessionNote.query().where('appointmentId', appointment.id).firstOrFail()
    assert.notInclude(note.body, marker)
  })

  for (const role of ['ceo', 'admin', 'support_staff', 'clinician'] as const) {
    test(`a ${role} who is not the provider can neither read nor write the note`, async ({ assert }) => {
      const marker = uniqueWord('HIDDENMARKER')
      const { appointment, primary } = await appointmentWithNote(marker)
      // The clinician here is the client's primary clinician: the appointment is in their caseload.
      const staff = role === 'clinician' ? primary : await createStaff(role)
      const web = await signedInStaff(staff)

      const page = await web.get(`/appointments/${appointment.id}`)
      assert.equal(page.status, 200)
      assert.notInclude(page.text, marker)
      assert.notInclude(page.text, 'Session went well')
      assert.notInclude(page.text, 'name="body"')
      assert.include(page.text, 'A session note has been written. Only the appointment\'s clinician can read it.')

      const write = await web.post(`/appointments/${appointment.id}/note`, { body: 'overwritten' })
      assert.equal(write.status, 403)
      const note = await SessionNote.query().where('appointmentId', appointment.id).firstOrFail()
      assert.include(note.body, marker)
      assert.lengthOf(await auditRows('staff.session_note.viewed', staff.id), 0)
    })
  }

  test('once a note exists the clinician of the appointment cannot be changed', async ({ assert }) => {
    // An appointment still to come (a past one cannot be rescheduled at all), with a note written ahead.
    const provider = await createStaff('clinician')
    const appointment = await createAppointment(await createClient(), provider, { startsAt: practiceAt(45, 10) })
    const providerWeb = await signedInStaff(provider)
    await providerWeb.get(`/appointments/${appointment.id}`)
    await providerWeb.post(`/appointments/${appointment.id}/note`, { body: `Plan for the session. ${uniqueWord('LOCK')}` })
    assert.isNotNull(await SessionNote.query().where('appointmentId', appointment.id).first())
    const web = await signedInStaff(await createStaff('admin'))
    const form = await web.get(`/appointments/${appointment.id}/edit`)
    assert.include(form.text, 'This appointment has a session note, so its clinician stays the same.')

    const response = await web.post(`/appointments/${appointment.id}`, {
      providerId: String((await createStaff('clinician')).id),
      appointmentTypeId: String(appointment.appointmentTypeId),
      startsAt: local(appointment.startsAt),
      modality: 'in_person',
    })
    assert.equal(response.location, `/appointments/${appointment.id}/edit`)
    const unchanged = await Appointment.findOrFail(appointment.id)
    assert.equal(unchanged.providerId, appointment.providerId)
  })

  test('a note\'s text appears nowhere but on its provider\'s appointment page', async ({ assert }) => {
    const marker = uniqueWord('SECRETMARKER')
    const { client, appointment, primary, provider, providerWeb } = await appointmentWithNote(marker)
    const past = await createAppointment(client, provider, { startsAt: DateTime.now().minus({ days: 3 }), status: 'completed' })
    await providerWeb.get(`/appointments/${past.id}`)
    await providerWeb.post(`/appointments/${past.id}/note`, { body: `Earlier session. ${marker}` })
    const upcoming = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ days: 4 }) })

    // The client's portal, every page about their appointments.
    const account = await createPortalAccount(client)
    const portal = await signedInPortal(account)
    const portalPaths = [
      '/portal',
      '/portal/appointments',
      '/portal/appointments?tab=past',
      ...[appointment, past, upcoming].flatMap((each) => [
        `/portal/appointments/${each.id}`,
        `/portal/appointments/${each.id}/calendar.ics`,
      ]),
    ]
    for (const path of portalPaths) {
      const response = await portal.get(path)
      assert.equal(response.status, 200, path)
      assert.notInclude(response.text, marker, path)
    }

    // Every page of staff who are not the provider.
    const week = `from=${practiceNow().startOf('week').minus({ weeks: 1 }).toISODate()}&to=${practiceNow().startOf('week').plus({ days: 13 }).toISODate()}`
    const staffPaths = [
      '/dashboard',
      `/clients/${client.id}`,
      '/appointments',
      `/appointments?${week}`,
      `/appointments?${week}&provider=${provider.id}`,
      ...[appointment, past, upcoming].map((each) => `/appointments/${each.id}`),
      `/appointments/${upcoming.id}/edit`,
    ]
    for (const staff of [await createStaff('ceo'), await createStaff('admin'), await createStaff('support_staff'), primary]) {
      const web = await signedInStaff(staff)
      const paths = ['ceo', 'admin'].includes(staff.role) ? [...staffPaths, '/audit-log', `/audit-log?clientId=${client.id}`] : staffPaths
      for (const path of paths) {
        const response = await web.get(path)
        assert.equal(response.status, 200, `${staff.role} ${path}`)
        assert.notInclude(response.text, marker, `${staff.role} ${path}`)
      }
    }
    // Nor on the provider's own other pages.
    for (const path of ['/dashboard', `/clients/${client.id}`, `/appointments?${week}`, `/appointments/${upcoming.id}`]) {
      const response = await providerWeb.get(path)
      assert.equal(response.status, 200, path)
      assert.notInclude(response.text, marker, path)
    }
    assert.include((await providerWeb.get(`/appointments/${past.id}`)).text, marker)

    // Not in the audit trail (any column), the sessions, or any mail.
    assert.isAbove((await auditRows('staff.session_note.viewed', provider.id)).length, 0)
    assert.lengthOf(await rowsContaining('audit_events', marker), 0)
    assert.lengthOf(await rowsContaining('sessions', marker), 0)
    assert.lengthOf(await rowsContaining('mail_messages', marker), 0)
  })
})

test.group('Staff appointments: dashboard', () => {
  test('today and this week, in the practice time zone; a clinician sees their caseload only', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const colleague = await createStaff('clinician')
    const myClient = await createClient({ primaryClinicianId: clinician.id })
    const otherClient = await createClient({ primaryClinicianId: colleague.id })
    const today = practiceNow().startOf('day')
    // Another day of this week: tomorrow on a Monday, else yesterday.
    const otherDay = today.weekday === 1 ? today.plus({ days: 1 }) : today.minus({ days: 1 })
    const todayMine = await createAppointment(myClient, clinician, { startsAt: today.plus({ minutes: 10 }) })
    const weekMine = await createAppointment(myClient, clinician, { startsAt: otherDay.plus({ minutes: 20 }) })
    const todayOther = await createAppointment(otherClient, colleague, { startsAt: today.plus({ minutes: 10 }) })
    const nextWeek = await createAppointment(myClient, clinician, { startsAt: today.startOf('week').plus({ weeks: 1, hours: 1 }) })

    const mine = await (await signedInStaff(clinician)).get('/dashboard')
    assert.equal(mine.status, 200)
    assert.include(mine.text, 'Active clients in your caseload')
    assert.deepEqual(appointmentRows(tableById(mine.text, 'today-appointments')), [todayMine.id])
    assert.sameMembers(appointmentRows(tableById(mine.text, 'week-appointments')), [todayMine.id, weekMine.id])
    assert.notInclude(mine.text, `/appointments/${todayOther.id}"`)
    assert.notInclude(mine.text, `/appointments/${nextWeek.id}"`)
    assert.match(mine.text, /id="today-figure">Today's appointments<\/h2>\s*<p class="figure">1<\/p>/)
    assert.match(mine.text, /id="week-figure">This week's appointments<\/h2>\s*<p class="figure">2<\/p>/)
    assert.match(mine.text, /Active clients in your caseload<\/h2>\s*<p class="figure">1<\/p>/)

    for (const role of ['ceo', 'admin', 'support_staff'] as const) {
      const page = await (await signedInStaff(await createStaff(role))).get('/dashboard')
      assert.equal(page.status, 200, role)
      const todays = appointmentRows(tableById(page.text, 'today-appointments'))
      assert.includeMembers(todays, [todayMine.id, todayOther.id], role)
      assert.notInclude(todays, weekMine.id, role)
      assert.includeMembers(appointmentRows(tableById(page.text, 'week-appointments')), [todayMine.id, weekMine.id, todayOther.id], role)
      assert.notInclude(page.text, `/appointments/${nextWeek.id}"`, role)
      const activeClients = Number(page.text.match(/id="clients-figure">Active clients<\/h2>\s*<p class="figure">(\d+)</)![1])
      assert.isAtLeast(activeClients, 2, role)
    }
  })

  test('past appointments still needing an outcome are listed oldest first; a clinician sees those she provides', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const colleague = await createStaff('clinician')
    const myClient = await createClient({ primaryClinicianId: clinician.id })
    const otherClient = await createClient({ primaryClinicianId: colleague.id })
    // Long ago, so that they are among the practice's oldest whatever else the test run has made.
    const longAgo = DateTime.now().minus({ years: 20 })
    const mineOldest = await createAppointment(myClient, clinician, { startsAt: longAgo })
    const colleaguesWithMyClient = await createAppointment(myClient, colleague, { startsAt: longAgo.plus({ days: 1 }) })
    const colleagues = await createAppointment(otherClient, colleague, { startsAt: longAgo.plus({ days: 2 }) })
    const recorded = await createAppointment(myClient, clinician, { startsAt: longAgo.plus({ days: 3 }), status: 'completed' })
    const cancelled = await createAppointment(myClient, clinician, { startsAt: longAgo.plus({ days: 4 }), status: 'late_cancelled' })
    const thisMorning = await createAppointment(myClient, clinician, { startsAt: DateTime.now().minus({ minutes: 30 }) })
    const later = await createAppointment(myClient, clinician, { startsAt: DateTime.now().plus({ hours: 3 }) })

    const mine = await (await signedInStaff(clinician)).get('/dashboard')
    assert.equal(mine.status, 200)
    assert.include(mine.text, 'Attendance to record')
    assert.deepEqual(appointmentRows(tableById(mine.text, 'outcome-appointments')), [mineOldest.id, thisMorning.id])
    assert.match(mine.text, /id="outcome-figure">Attendance to record<\/h2>\s*<p class="figure">2<\/p>/)
    assert.include(tableById(mine.text, 'outcome-appointments'), 'Attendance not recorded yet')

    const page = await (await signedInStaff(await createStaff('support_staff'))).get('/dashboard')
    const rows = appointmentRows(tableById(page.text, 'outcome-appointments'))
    assert.includeMembers(rows, [mineOldest.id, colleaguesWithMyClient.id, colleagues.id])
    assert.isBelow(rows.indexOf(mineOldest.id), rows.indexOf(colleaguesWithMyClient.id))
    assert.isBelow(rows.indexOf(colleaguesWithMyClient.id), rows.indexOf(colleagues.id))
    for (const excluded of [recorded, cancelled, later]) assert.notInclude(rows, excluded.id)
  })

  test('the appointments needing an outcome: the first 50 and the total', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: clinician.id })
    const start = DateTime.now().minus({ days: 60 })
    const created: Appointment[] = []
    for (let i = 0; i < 51; i++) {
      created.push(await createAppointment(client, clinician, { startsAt: start.plus({ hours: i }) }))
    }

    const page = await (await signedInStaff(clinician)).get('/dashboard')
    assert.deepEqual(
      appointmentRows(tableById(page.text, 'outcome-appointments')),
      created.slice(0, 50).map(({ id }) => id)
    )
    assert.include(page.text, 'The first 50 of 51, oldest first')
    assert.match(page.text, /id="outcome-figure">Attendance to record<\/h2>\s*<p class="figure">51<\/p>/)
  })

  test("a clinician's figures are her caseload's, portal accounts included", async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const colleague = await createStaff('clinician')
    const myClient = await createClient({ primaryClinicianId: clinician.id })
    const seenOnce = await createClient({ primaryClinicianId: colleague.id })
    await createAppointment(seenOnce, clinician)
    const notMine = await createClient({ primaryClinicianId: colleague.id })
    await createPortalAccount(myClient)
    await createPortalAccount(seenOnce, 'parent')
    await createPortalAccount(myClient, 'parent', { status: 'disabled' })
    await createPortalAccount(notMine)
    await createPortalAccount(notMine, 'parent')

    const mine = await (await signedInStaff(clinician)).get('/dashboard')
    assert.match(mine.text, /id="portal-figure">Active portal accounts in your caseload<\/h2>\s*<p class="figure">2<\/p>/)
    assert.match(mine.text, /Active clients in your caseload<\/h2>\s*<p class="figure">2<\/p>/)

    const ceo = await (await signedInStaff(await createStaff('ceo'))).get('/dashboard')
    const all = Number(ceo.text.match(/id="portal-figure">Active portal accounts<\/h2>\s*<p class="figure">(\d+)</)![1])
    assert.isAtLeast(all, 4)
  })

  test('a busy day shows its first 100 appointments, the whole count, and a link to the rest', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: clinician.id })
    const today = practiceNow().startOf('day')
    const created: Appointment[] = []
    for (let i = 0; i < 101; i++) {
      const startsAt = today.plus({ minutes: i * 12 })
      created.push(await createAppointment(client, clinician, { startsAt, endsAt: startsAt.plus({ minutes: 10 }) }))
    }

    const page = await (await signedInStaff(clinician)).get('/dashboard')
    assert.equal(page.status, 200)
    assert.deepEqual(
      appointmentRows(tableById(page.text, 'today-appointments')),
      created.slice(0, 100).map(({ id }) => id)
    )
    assert.match(page.text, /id="today-figure">Today's appointments<\/h2>\s*<p class="figure">101<\/p>/)
    assert.include(page.text, 'The first 100 of 101, earliest first')
    assert.include(page.text, `href="/appointments?from=${today.toISODate()}&amp;to=${today.toISODate()}">All of today's appointments</a>`)
  })
})
