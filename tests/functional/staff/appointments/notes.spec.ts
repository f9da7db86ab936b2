import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Appointment from '#models/appointment'
import SessionNote from '#models/session_note'
import { practiceNow } from '#support/practice_time'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { uniqueWord, local, practiceAt, auditRows, rowsContaining } from '#tests/functional/staff/appointments/helpers'

/** A client with a portal account, their clinician (the provider) and an appointment with a note. */
async function appointmentWithNote(marker: string) {
  const provider = await createStaff('clinician')
  const primary = await createStaff('clinician')
  const client = await createClient({ primaryClinicianId: primary.id })
  const appointment = await createAppointment(client, provider, { startsAt: practiceAt(0, 0, 5) })
  const web = await signIn(provider)
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
      const web = await signIn(staff)

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
    const providerWeb = await signIn(provider)
    await providerWeb.get(`/appointments/${appointment.id}`)
    await providerWeb.post(`/appointments/${appointment.id}/note`, { body: `Plan for the session. ${uniqueWord('LOCK')}` })
    assert.isNotNull(await SessionNote.query().where('appointmentId', appointment.id).first())
    const web = await signIn(await createStaff('admin'))
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
    const portal = await signIn(account)
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
      const web = await signIn(staff)
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
