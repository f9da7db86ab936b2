import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Appointment from '#models/appointment'
import PracticeSetting, { type SchedulingMode } from '#models/practice_setting'
import { issueAppointmentActionLink } from '#actions/appointment_actions/issue_appointment_action_link'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { WebSession } from '#tests/helpers/web'
import { signIn } from '#tests/helpers/sign_in'
import { auditRows, pathOf, uniqueEmail } from '#tests/helpers/onboarding'
import practice from '#config/practice'
import { formatPhoneForDisplay } from '#support/phone'

/*
| The practice's scheduling mode (DESIGN §14, issue #19 items 1 and 2):
| in view_only online cancelling is off — its links absent, the phone
| shown, a posted cancel a 404 that changes nothing — while confirming
| still works. In requests mode the appointment page offers cancelling
| only ahead of the window.
*/
async function setMode(mode: SchedulingMode) {
  await db.connection('machinery').from('practice_settings').where('id', 1).update({ scheduling_mode: mode })
  // This process reads it at once; others within the 5 s cache (the 10 s of DESIGN §13).
  PracticeSetting.forget()
}

async function world(hoursAhead = 72) {
  const provider = await createStaff('clinician', { email: uniqueEmail('provider') })
  const client = await createClient()
  const account = await createPortalAccount(client)
  const appointment = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ hours: hoursAhead }).startOf('minute') })
  return { provider, client, account, appointment }
}

const snapshot = async (appointment: Appointment) =>
  JSON.stringify(await db.connection('machinery').from('appointments').where('id', appointment.id).first())

const phone = formatPhoneForDisplay(practice.phone)

test.group('Scheduling mode: view_only', (group) => {
  group.each.teardown(() => setMode('requests'))

  test('the appointment page shows the phone, no cancel; the signed-in cancel route is a 404 that changes nothing', async ({ assert }) => {
    const { account, appointment, provider } = await world()
    const web = await signIn(account)
    const requestsPage = await web.get(`/portal/appointments/${appointment.id}`)
    assert.include(requestsPage.text, 'id="confirm-or-cancel"')

    await setMode('view_only')
    const page = await web.get(`/portal/appointments/${appointment.id}`)
    assert.notInclude(page.text, 'id="confirm-or-cancel"')
    assert.include(page.text, 'id="confirm-only"')
    assert.include(page.text, 'To cancel or change this appointment, please call')
    assert.include(page.text, phone)

    const actions = await web.get(`/portal/appointments/${appointment.id}/confirm-or-cancel`)
    assert.equal(actions.status, 200)
    assert.include(actions.text, 'value="confirm"')
    assert.notInclude(actions.text, 'value="cancel"')
    assert.notInclude(actions.text, `/portal/appointments/${appointment.id}/cancel`)
    assert.include(actions.text, 'id="cancel-by-phone"')

    const before = await snapshot(appointment)
    for (const [path, form] of [
      [`/portal/appointments/${appointment.id}/cancel`, {}],
      [`/portal/appointments/${appointment.id}/confirm-or-cancel`, { choice: 'cancel' }],
    ] as const) {
      const refused = await web.post(path, form)
      assert.equal(refused.status, 404, path)
      assert.notInclude(refused.text, 'Your appointment is cancelled.')
    }
    assert.equal(await snapshot(appointment), before)
    assert.lengthOf(await db.connection('machinery').from('mail_messages').where('recipient', provider.email.toLowerCase()), 0)
    const [event] = await auditRows('portal.appointment_action.refused', { actor_id: account.id })
    assert.equal(event.detail.reason, 'view_only')

    // Confirming still works.
    const confirmed = await web.post(`/portal/appointments/${appointment.id}/confirm-or-cancel`, { choice: 'confirm' })
    assert.include(confirmed.text, 'Your appointment is confirmed.')
    assert.notInclude(confirmed.text, 'value="cancel"')
    await appointment.refresh()
    assert.isNotNull(appointment.confirmedAt)
    assert.equal(appointment.status, 'scheduled')

    // Back to requests: the next request sees it (forget() stands in for the cache running out).
    await setMode('requests')
    const reopened = await web.get(`/portal/appointments/${appointment.id}/confirm-or-cancel`)
    assert.include(reopened.text, 'value="cancel"')
    assert.include(reopened.text, `action="/portal/appointments/${appointment.id}/cancel"`)
  })

  test('the emailed link: the page shows the phone instead of a cancel button; a posted cancel is a 404; confirm works', async ({ assert }) => {
    const { account, appointment } = await world()
    const path = pathOf((await issueAppointmentActionLink({ appointmentId: appointment.id, recipient: { clientUserId: account.id } }))!)
    await setMode('view_only')

    const web = new WebSession()
    const page = await web.get(path)
    assert.equal(page.status, 200)
    assert.include(page.text, 'value="confirm"')
    assert.notInclude(page.text, 'value="cancel"')
    assert.include(page.text, 'To cancel or change this appointment, please call')
    assert.include(page.text, phone)

    const before = await snapshot(appointment)
    const refused = await web.post(path, { choice: 'cancel' })
    assert.equal(refused.status, 404)
    assert.equal(await snapshot(appointment), before)

    const confirmed = await web.post(path, { choice: 'confirm' })
    assert.equal(confirmed.status, 200)
    assert.include(confirmed.text, 'Your appointment is confirmed.')
  })
})

test.group('Scheduling mode: requests (cancel ahead of the window from the appointment page)', (group) => {
  group.each.teardown(() => setMode('requests'))

  test('ahead of the window: the page links to cancelling; cancelling signed in records the client and tells the provider', async ({ assert }) => {
    const { account, appointment, provider } = await world(72)
    const web = await signIn(account)
    const page = await web.get(`/portal/appointments/${appointment.id}`)
    assert.include(page.text, `id="confirm-or-cancel" href="/portal/appointments/${appointment.id}/confirm-or-cancel"`)
    assert.notInclude(page.text, 'id="cancel-by-phone"')

    await web.get(`/portal/appointments/${appointment.id}/confirm-or-cancel`)
    const response = await web.post(`/portal/appointments/${appointment.id}/cancel`, {})
    assert.equal(response.status, 200)
    assert.include(response.text, 'Your appointment is cancelled.')
    await appointment.refresh()
    assert.equal(appointment.status, 'cancelled')
    assert.equal(appointment.cancelledByKind, 'client')
    const [event] = await auditRows('portal.appointment.cancelled', { actor_id: account.id })
    assert.deepEqual(event.detail, { appointmentId: appointment.id, via: 'signed_in', from: 'scheduled', to: 'cancelled' })
    const [notice] = await db.connection('machinery').from('mail_messages').where('recipient', provider.email.toLowerCase())
    assert.equal(notice.template, 'provider_cancellation_notice')
  })

  test('inside the window: the page shows the phone and no cancel; a posted cancel changes nothing', async ({ assert }) => {
    const { account, appointment } = await world(5)
    const web = await signIn(account)
    const page = await web.get(`/portal/appointments/${appointment.id}`)
    assert.notInclude(page.text, 'id="confirm-or-cancel"')
    assert.include(page.text, 'It is too late to cancel this appointment online.')
    assert.include(page.text, phone)
    const actions = await web.get(`/portal/appointments/${appointment.id}/confirm-or-cancel`)
    assert.notInclude(actions.text, 'value="cancel"')

    const before = await snapshot(appointment)
    const response = await web.post(`/portal/appointments/${appointment.id}/cancel`, {})
    assert.include(response.text, 'It is too late to cancel this appointment online.')
    assert.equal(await snapshot(appointment), before)
  })

  test('another client’s appointment: the cancel route is a 404 and changes nothing', async ({ assert }) => {
    const { account } = await world()
    const theirs = await world()
    const web = await signIn(account)
    await web.get('/portal/appointments')
    const before = await snapshot(theirs.appointment)
    const response = await web.post(`/portal/appointments/${theirs.appointment.id}/cancel`, {})
    assert.equal(response.status, 404)
    assert.notInclude(response.text, 'Your appointment is cancelled.')
    assert.equal(await snapshot(theirs.appointment), before)
  })
})
