import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Appointment from '#models/appointment'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { local, practiceAt, auditRows } from '#tests/functional/staff/appointments/helpers'

test.group('Staff appointments: cancelling and the outcome', () => {
  test('cancelling more than 24 hours ahead is a cancellation, and audited', async ({ assert }) => {
    const support = await createStaff('support_staff')
    const appointment = await createAppointment(await createClient(), await createStaff('clinician'), {
      startsAt: DateTime.now().plus({ hours: 30 }),
    })
    const web = await signIn(support)
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
    const web = await signIn(admin)

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
    const web = await signIn(clinician)

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
      const web = await signIn(staff)
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
    const web = await signIn(admin)
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
    const web = await signIn(clinician)

    assert.include((await web.get(`/appointments/${attended.id}`)).text, 'id="appointment-status">Attended<')
    assert.include((await web.get(`/appointments/${missed.id}`)).text, 'id="appointment-status">Missed<')
    const lastWeeks = `from=${practiceAt(-16, 0).toISODate()}&to=${practiceAt(-7, 0).toISODate()}&provider=${clinician.id}`
    const staffPages = [(await web.get(`/appointments?${lastWeeks}`)).text, (await web.get(`/clients/${client.id}`)).text]
    const portal = await signIn(await createPortalAccount(client))
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
