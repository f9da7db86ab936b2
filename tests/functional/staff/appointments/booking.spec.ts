import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Appointment from '#models/appointment'
import { formatDateTime, formatTime, practiceNow } from '#support/practice_time'
import { createAppointment, createClient, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { uniqueWord, local, practiceAt, pickedOf, pickerOptionsOf, selectedOf, fieldError, idFromLocation, createType, bookingForm, auditRows, countFor } from '#tests/functional/staff/appointments/helpers'

test.group('Staff appointments: booking', () => {
  test('booking reads the times in the practice time zone, fills the end from the type, and is audited', async ({ assert }) => {
    const admin = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const type = await createType({ defaultMinutes: 45, isTelehealth: true })
    const web = await signIn(admin)

    const form = await web.get(`/appointments/new?client=${client.id}`)
    assert.equal(form.status, 200)
    assert.include(form.text, '<h1>Book an appointment</h1>')
    // From the client's page that client is chosen; the picker searches for another (client_picker.spec.ts).
    assert.equal(pickedOf(form.text), String(client.id))
    assert.deepEqual(pickerOptionsOf(form.text), [String(client.id)])
    assert.deepEqual(pickerOptionsOf((await web.get('/appointments/new')).text), [])
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
    const web = await signIn(support)
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
    assert.equal(pickedOf(page.text), String(client.id))
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
    const [webA, webB] = [await signIn(await createStaff('admin')), await signIn(await createStaff('support_staff'))]
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
    assert.equal(pickedOf(page.text), String(client.id))
  })

  test('an overlapping booking is refused; a cancelled appointment frees its time', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const type = await createType()
    const startsAt = practiceAt(23, 10)
    const existing = await createAppointment(client, clinician, { startsAt, endsAt: startsAt.plus({ minutes: 50 }) })
    const web = await signIn(await createStaff('admin'))
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
    const web = await signIn(await createStaff('admin'))
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
