import { test } from '@japa/runner'
import Appointment from '#models/appointment'
import { formatDateTime, formatTime, practiceNow } from '#support/practice_time'
import { createAppointment, createClient, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { local, practiceAt, selectedOf, escaped, fieldError, createType, auditRows } from '#tests/functional/staff/appointments/helpers'

test.group('Staff appointments: rescheduling', () => {
  test('rescheduling changes time, clinician, type and place, and is audited', async ({ assert }) => {
    const admin = await createStaff('admin')
    const [before, after] = [await createStaff('clinician'), await createStaff('clinician')]
    const client = await createClient()
    const type = await createType({ defaultMinutes: 30 })
    const appointment = await createAppointment(client, before, { startsAt: practiceAt(30, 9) })
    const web = await signIn(admin)

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
    const web = await signIn(await createStaff('support_staff'))
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
    const web = await signIn(await createStaff('admin'))
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

})
