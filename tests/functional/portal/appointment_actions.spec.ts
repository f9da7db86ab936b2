import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Appointment from '#models/appointment'
import AppointmentActionLink from '#models/appointment_action_link'
import ClientUserLink from '#models/client_user_link'
import OneTimeToken from '#models/one_time_token'
import type Client from '#models/client'
import type StaffUser from '#models/staff_user'
import { issueAppointmentActionLink, type ActionLinkRecipient } from '#actions/appointment_actions/issue_appointment_action_link'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { WebSession, withoutCsrf } from '#tests/helpers/web'
import { deliverAll, groupSmtpCapture } from '#tests/helpers/mail'
import { signIn } from '#tests/helpers/sign_in'
import { runCommand } from '#tests/helpers/ace'
import { auditRows, pathOf, uniqueEmail } from '#tests/helpers/onboarding'
import { formatDate, formatTime } from '#support/practice_time'
import practice from '#config/practice'

/*
| "Confirm / I can't make it" links (DESIGN §17, issue #17 items 5 and 6),
| over real HTTP, with the provider's notice through a real SMTP server.
*/

async function world(attributes: { hoursAhead?: number; language?: 'en' | 'es' } = {}) {
  const provider = await createStaff('clinician', { email: uniqueEmail('provider') })
  const client = await createClient()
  const account = await createPortalAccount(client, 'self', attributes.language ? { language: attributes.language } : {})
  const appointment = await createAppointment(client, provider, {
    startsAt: DateTime.now().plus({ hours: attributes.hoursAhead ?? 72 }).startOf('minute'),
  })
  return { provider, client, account, appointment }
}

async function linkFor(appointment: Appointment, recipient: ActionLinkRecipient) {
  const url = await issueAppointmentActionLink({ appointmentId: appointment.id, recipient })
  return pathOf(url!)
}

/** Opens the link's page in a fresh browser, then presses one of its buttons. */
async function press(path: string, choice: 'confirm' | 'cancel', web = new WebSession()) {
  const page = await web.get(path)
  const response = await web.post(path, { choice })
  return { page, response }
}

const snapshot = async (appointment: Appointment) => {
  const row = await db.connection('machinery').from('appointments').where('id', appointment.id).first()
  return JSON.stringify(row)
}

test.group('Appointment action links (emailed)', (group) => {
  const capture = groupSmtpCapture(group)

  test('issuing stores only the hash, bound to the appointment, the recipient and its start; expiring at the start', async ({ assert }) => {
    const { account, appointment } = await world()
    const url = (await issueAppointmentActionLink({ appointmentId: appointment.id, recipient: { clientUserId: account.id } }))!
    assert.match(url, /^https?:\/\/[^/]+\/portal\/appointment-actions\/[A-Za-z0-9_-]{43}$/)
    const token = url.split('/').pop()!
    const link = await AppointmentActionLink.query().where('appointment_id', appointment.id).firstOrFail()
    assert.equal(link.tokenHash, OneTimeToken.hashToken(token))
    assert.notInclude(JSON.stringify(link.toJSON()), token)
    assert.equal(link.clientUserId, account.id)
    assert.equal(link.clientId, appointment.clientId)
    assert.equal(link.startsAt.toMillis(), appointment.startsAt.toMillis())
    assert.equal(link.expiresAt.toMillis(), appointment.startsAt.toMillis())
  })

  test('GET shows the day and time and two buttons, and changes nothing', async ({ assert }) => {
    const { account, appointment } = await world()
    const path = await linkFor(appointment, { clientUserId: account.id })
    const before = await snapshot(appointment)

    const web = new WebSession()
    const page = await web.get(path)
    assert.equal(page.status, 200)
    assert.include(page.text, formatDate(appointment.startsAt))
    assert.include(page.text, formatTime(appointment.startsAt))
    assert.include(page.text, 'value="confirm"')
    assert.include(page.text, 'value="cancel"')
    assert.include(page.text, "I can&#x27;t make it")
    // No detail consent: neither the type nor the place.
    assert.notInclude(page.text, 'Suite 210')
    await web.get(path)
    assert.equal(await snapshot(appointment), before)
    assert.lengthOf(await auditRows('portal.appointment_action.viewed', { actor_id: account.id }), 2)
  })

  test('details appear with the client’s consent to details in email', async ({ assert }) => {
    const { account, client, appointment } = await world()
    await db.connection('machinery').from('client_preferences').where('client_id', client.id).update({ consent_details_in_email: true })
    const page = await new WebSession().get(await linkFor(appointment, { clientUserId: account.id }))
    assert.include(page.text, 'Suite 210')
  })

  test('POST confirm records when and by whom; staff see it; a later cancel still works', async ({ assert }) => {
    const { account, appointment } = await world()
    const path = await linkFor(appointment, { clientUserId: account.id })
    const web = new WebSession()
    const { response } = await press(path, 'confirm', web)
    assert.equal(response.status, 200)
    assert.include(response.text, 'Your appointment is confirmed.')
    await appointment.refresh()
    assert.equal(appointment.status, 'scheduled')
    assert.isNotNull(appointment.confirmedAt)
    assert.equal(appointment.confirmedById, account.id)
    const [event] = await auditRows('portal.appointment.confirmed', { actor_id: account.id })
    assert.deepEqual(event.detail, { appointmentId: appointment.id, via: 'link' })
    assert.equal(event.client_id, appointment.clientId)

    const staff = await signIn(await createStaff('admin'))
    const staffPage = await staff.get(`/appointments/${appointment.id}`)
    assert.include(staffPage.text, 'id="appointment-confirmed"')
    assert.include(staffPage.text, `${account.displayName} (portal account)`)

    // Confirming does not stop a later cancel.
    const again = await web.post(path, { choice: 'cancel' })
    assert.include(again.text, 'Your appointment is cancelled.')
    await appointment.refresh()
    assert.equal(appointment.status, 'cancelled')
  })

  test('POST cancel outside the window cancels, frees the slot, tells the provider without the client’s name', async ({ assert }) => {
    const { account, client, provider, appointment } = await world({ hoursAhead: 72 })
    const path = await linkFor(appointment, { clientUserId: account.id })
    const { response } = await press(path, 'cancel')
    assert.equal(response.status, 200)
    assert.include(response.text, 'Your appointment is cancelled.')
    await appointment.refresh()
    assert.equal(appointment.status, 'cancelled')
    assert.equal(appointment.cancelledByKind, 'client_link')
    assert.equal(appointment.cancelledById, account.id)
    assert.isNotNull(appointment.cancelledAt)
    assert.lengthOf(await auditRows('portal.appointment.cancelled', { actor_id: account.id, client_id: client.id }), 1)

    // The slot is free at once: another client can be booked into it.
    const other = await Appointment.book({
      clientId: (await createClient()).id,
      providerId: provider.id,
      appointmentTypeId: appointment.appointmentTypeId,
      startsAt: appointment.startsAt,
      endsAt: appointment.endsAt,
      modality: 'in_person',
    })
    assert.equal(other.status, 'scheduled')

    // The link has done its work.
    assert.equal((await new WebSession().get(path)).status, 404)

    // The provider's notice, over real SMTP: day and time only.
    await deliverAll()
    const notice = capture.messages.find((message) => message.to.includes(provider.email.toLowerCase()))
    assert.exists(notice)
    assert.equal(notice!.subject, 'A client cancelled an appointment')
    assert.include(notice!.text, formatDate(appointment.startsAt))
    assert.include(notice!.text, formatTime(appointment.startsAt))
    for (const part of [notice!.text, notice!.html]) {
      assert.notInclude(part, client.firstName)
      assert.notInclude(part, client.lastName)
      assert.notInclude(part, 'Suite 210')
    }

    const staff = await signIn(await createStaff('admin'))
    const staffPage = await staff.get(`/appointments/${appointment.id}`)
    assert.include(staffPage.text, `${account.displayName}, through a reminder link`)
  })

  test('two cancels at once (two recipients, the row locked): one cancels, the other never acts; one notice', async ({ assert }) => {
    const { account, client, provider, appointment } = await world()
    const guardian = await createPortalAccount(client, 'legal_guardian')
    const paths = [await linkFor(appointment, { clientUserId: account.id }), await linkFor(appointment, { clientUserId: guardian.id })]
    const sessions = await Promise.all(
      paths.map(async (path) => {
        const web = new WebSession()
        await web.get(path)
        return { web, path }
      })
    )
    const responses = await Promise.all(sessions.map(({ web, path }) => web.post(path, { choice: 'cancel' })))
    const cancelled = responses.filter((response) => response.text.includes('Your appointment is cancelled.'))
    assert.lengthOf(cancelled, 1)
    assert.sameMembers(responses.map((response) => response.status).sort(), [200, 404])
    assert.lengthOf(await auditRows('portal.appointment.cancelled', { client_id: client.id }), 1)
    const notices = await db.connection('machinery').from('mail_messages').where({ template: 'provider_cancellation_notice', recipient: provider.email.toLowerCase() })
    assert.lengthOf(notices, 1)
  })

  test('inside the cancellation window it is refused with the phone, and nothing changes', async ({ assert }) => {
    const { account, appointment } = await world({ hoursAhead: 5 })
    const path = await linkFor(appointment, { clientUserId: account.id })
    const before = await snapshot(appointment)
    const { response } = await press(path, 'cancel')
    assert.equal(response.status, 200)
    assert.include(response.text, 'It is too late to cancel this appointment online.')
    assert.include(response.text, practice.phone)
    assert.equal(await snapshot(appointment), before)
    const [event] = await auditRows('portal.appointment_action.refused', { actor_id: account.id })
    assert.equal(event.detail.reason, 'inside_cancellation_window')
  })

  test('rescheduled, link ended, another client’s, expired and unknown links never act, and show one identical page', async ({ assert }) => {
    const web = new WebSession()
    const pages: string[] = []
    const neverActs = async (path: string, appointment: Appointment) => {
      const before = await snapshot(appointment)
      // A page with a form first, as a scanner or a browser with a valid CSRF token would post.
      await web.get('/portal/login')
      const shown = await web.get(path)
      assert.equal(shown.status, 404)
      for (const choice of ['confirm', 'cancel'] as const) {
        const response = await web.post(path, { choice })
        assert.equal(response.status, 404)
        pages.push(withoutCsrf(response.text))
      }
      pages.push(withoutCsrf(shown.text))
      assert.equal(await snapshot(appointment), before)
    }

    // Rescheduled after the link was issued.
    const moved = await world()
    const movedPath = await linkFor(moved.appointment, { clientUserId: moved.account.id })
    await moved.appointment.merge({ startsAt: moved.appointment.startsAt.plus({ hours: 2 }), endsAt: moved.appointment.endsAt.plus({ hours: 2 }) }).save()
    await neverActs(movedPath, moved.appointment)

    // The recipient's link to the client ended.
    const ended = await world()
    const endedPath = await linkFor(ended.appointment, { clientUserId: ended.account.id })
    await ClientUserLink.query().where('client_user_id', ended.account.id).update({ ended_at: new Date() })
    await neverActs(endedPath, ended.appointment)

    // Another client's appointment: this account has no link to that client.
    const mine = await world()
    const theirs = await world()
    await neverActs(await linkFor(theirs.appointment, { clientUserId: mine.account.id }), theirs.appointment)

    // Expired.
    const expired = await world()
    const expiredPath = await linkFor(expired.appointment, { clientUserId: expired.account.id })
    await AppointmentActionLink.query().where('appointment_id', expired.appointment.id).update({ expires_at: DateTime.now().minus({ minutes: 1 }).toSQL() })
    await neverActs(expiredPath, expired.appointment)

    // Unknown.
    await neverActs('/portal/appointment-actions/' + 'x'.repeat(43), expired.appointment)

    assert.lengthOf(new Set(pages), 1)
    assert.isAbove((await auditRows('portal.appointment_action.refused')).length, 0)
  })

  test('a client without an account: the link to the client’s email acts as the client', async ({ assert }) => {
    const provider = await createStaff('clinician', { email: uniqueEmail('provider') })
    const email = uniqueEmail('client')
    const client: Client = await createClient({ email })
    const appointment = await createAppointment(client, provider as StaffUser)
    const path = await linkFor(appointment, { email })
    const { response } = await press(path, 'confirm')
    assert.include(response.text, 'Your appointment is confirmed.')
    await appointment.refresh()
    assert.isNotNull(appointment.confirmedAt)
    assert.isNull(appointment.confirmedById)

    const staff = await signIn(await createStaff('admin'))
    assert.include((await staff.get(`/appointments/${appointment.id}`)).text, 'The client, through a reminder link')

    // The address is no longer the client's: the link stops.
    await client.merge({ email: uniqueEmail('changed') }).save()
    assert.equal((await new WebSession().get(path)).status, 404)
  })

  test('the page is in the recipient’s language (Spanish for an es account)', async ({ assert }) => {
    const { account, appointment } = await world({ language: 'es' })
    const path = await linkFor(appointment, { clientUserId: account.id })
    const page = await new WebSession().get(path, { 'accept-language': 'en' })
    assert.include(page.text, 'Su cita')
    assert.include(page.text, 'Confirmar')
    assert.include(page.text, 'No puedo asistir')
    const response = await (async () => {
      const web = new WebSession()
      await web.get(path)
      return web.post(path, { choice: 'confirm' })
    })()
    assert.include(response.text, 'Su cita está confirmada.')
  })
})

test.group('Confirm or cancel, signed in', () => {
  test('the appointment page links to it; cancelling signed in records the client', async ({ assert }) => {
    const { account, appointment } = await world()
    const web = await signIn(account)
    const show = await web.get(`/portal/appointments/${appointment.id}`)
    assert.include(show.text, `/portal/appointments/${appointment.id}/confirm-or-cancel`)

    const page = await web.get(`/portal/appointments/${appointment.id}/confirm-or-cancel`)
    assert.equal(page.status, 200)
    assert.include(page.text, 'value="confirm"')
    const response = await web.post(`/portal/appointments/${appointment.id}/confirm-or-cancel`, { choice: 'cancel' })
    assert.include(response.text, 'Your appointment is cancelled.')
    await appointment.refresh()
    assert.equal(appointment.status, 'cancelled')
    assert.equal(appointment.cancelledByKind, 'client')
    assert.equal(appointment.cancelledById, account.id)
    const [event] = await auditRows('portal.appointment.cancelled', { actor_id: account.id })
    assert.deepEqual(event.detail, { appointmentId: appointment.id, via: 'signed_in', from: 'scheduled', to: 'cancelled' })

    // Now there is nothing left to confirm or cancel.
    const after = await web.get(`/portal/appointments/${appointment.id}/confirm-or-cancel`)
    assert.include(after.text, 'can no longer be confirmed or cancelled online')
  })

  test('another client’s appointment is not found', async ({ assert }) => {
    const { account } = await world()
    const { appointment: theirs } = await world()
    const web = await signIn(account)
    const before = await snapshot(theirs)
    await web.get(`/portal/appointments`)
    const response = await web.post(`/portal/appointments/${theirs.id}/confirm-or-cancel`, { choice: 'cancel' })
    assert.notInclude(response.text, 'Your appointment is cancelled.')
    assert.equal(await snapshot(theirs), before)
  })

  test('staff cancelling records the practice, and staff see who', async ({ assert }) => {
    const admin = await createStaff('admin')
    const { appointment } = await world()
    const web = await signIn(admin)
    await web.get(`/appointments/${appointment.id}`)
    await web.post(`/appointments/${appointment.id}/cancel`, {})
    await appointment.refresh()
    assert.equal(appointment.cancelledByKind, 'practice')
    assert.equal(appointment.cancelledById, admin.id)
    assert.include((await web.get(`/appointments/${appointment.id}`)).text, `The practice (${admin.name})`)
  })
})

test.group('tokens:purge and action links', () => {
  test('removes action links that expired more than --days ago, keeps the rest', async ({ assert }) => {
    const { account, appointment } = await world()
    await linkFor(appointment, { clientUserId: account.id })
    await linkFor(appointment, { clientUserId: account.id })
    const [old, recent] = await AppointmentActionLink.query().where('appointment_id', appointment.id).orderBy('id')
    await AppointmentActionLink.query().where('id', old.id).update({ expires_at: DateTime.now().minus({ days: 31 }).toSQL() })
    await AppointmentActionLink.query().where('id', recent.id).update({ expires_at: DateTime.now().minus({ days: 2 }).toSQL() })

    const result = await runCommand('tokens:purge', [])
    assert.equal(result.code, 0, result.output)
    assert.match(result.output, /expired appointment action link\(s\) older than 30 days/)
    assert.isNull(await AppointmentActionLink.find(old.id))
    assert.isNotNull(await AppointmentActionLink.find(recent.id))
    const [event] = (await auditRows('operator.tokens.purged', { actor_kind: 'system' })).slice(-1)
    assert.isAtLeast(event.detail.actionLinks, 1)
  }).timeout(60_000)
})
