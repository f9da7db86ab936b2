import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Appointment from '#models/appointment'
import StaffUser from '#models/staff_user'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { sendAppointmentNotice } from '#actions/reminders/send_appointment_notice'
import { sendDueReminders } from '#actions/reminders/send_due_reminders'
import { SYSTEM_ACTOR } from '#support/actor'
import { signIn } from '#tests/helpers/sign_in'
import { deliverAll, groupSmtpCapture } from '#tests/helpers/mail'
import { auditRows, uniqueEmail } from '#tests/helpers/onboarding'
import { bookingForm, createType, fieldError, practiceAt } from '#tests/functional/staff/appointments/helpers'

/*
| Video sessions (issue #19 item 5): a telehealth appointment's room — its
| own link, else its provider's — shown in the portal as "Join video
| session" from 15 minutes before the start to its end, never in mail.
*/
const ROOM = 'https://video.example.test/room-of-the-provider'
const OWN_ROOM = 'https://video.example.test/room-for-this-session'

async function world(minutesAhead: number, options: { ownRoom?: string | null; providerRoom?: string | null } = {}) {
  const provider = await createStaff('clinician', { email: uniqueEmail('provider') })
  provider.videoRoomUrl = options.providerRoom === undefined ? ROOM : options.providerRoom
  await provider.save()
  const client = await createClient()
  const account = await createPortalAccount(client)
  const appointment = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ minutes: minutesAhead }).startOf('minute') })
  appointment.isTelehealth = true
  appointment.videoUrl = options.ownRoom ?? null
  await appointment.save()
  return { provider, client, account, appointment }
}

test.group('Video sessions in the portal', (group) => {
  const smtp = groupSmtpCapture(group)

  test('inside the window: home and appointment page show "Join video session" with the provider’s room', async ({ assert }) => {
    const { account, appointment } = await world(10)
    const web = await signIn(account)
    for (const path of ['/portal', `/portal/appointments/${appointment.id}`]) {
      const page = await web.get(path)
      assert.include(page.text, `<a class="button" id="join-video" href="${ROOM}" target="_blank" rel="noopener noreferrer">Join video session</a>`, path)
    }
  })

  test('a session under way can still be joined from home until it ends', async ({ assert }) => {
    const { account } = await world(-20)
    const page = await (await signIn(account)).get('/portal')
    assert.include(page.text, 'id="join-video"')
  })

  test('the appointment’s own room wins over the provider’s', async ({ assert }) => {
    const { account, appointment } = await world(5, { ownRoom: OWN_ROOM })
    const page = await (await signIn(account)).get(`/portal/appointments/${appointment.id}`)
    assert.include(page.text, `href="${OWN_ROOM}"`)
    assert.notInclude(page.text, ROOM)
  })

  test('before the window: when it opens, no link; no room at all: the phone', async ({ assert }) => {
    const early = await world(60 * 24)
    const page = await (await signIn(early.account)).get(`/portal/appointments/${early.appointment.id}`)
    assert.notInclude(page.text, 'id="join-video"')
    assert.notInclude(page.text, ROOM)
    assert.include(page.text, 'You can join the video session from')

    const roomless = await world(5, { providerRoom: null })
    const shown = await (await signIn(roomless.account)).get(`/portal/appointments/${roomless.appointment.id}`)
    assert.notInclude(shown.text, 'id="join-video"')
    assert.include(shown.text, 'The link to the video session is not ready yet.')
  })

  test('another client never sees the room: their appointment is a 404', async ({ assert }) => {
    const mine = await world(5)
    const theirs = await world(5, { ownRoom: OWN_ROOM })
    const response = await (await signIn(mine.account)).get(`/portal/appointments/${theirs.appointment.id}`)
    assert.equal(response.status, 404)
    assert.notInclude(response.text, OWN_ROOM)
  })

  test('never in mail: a reminder and a notice for a video appointment carry no room link', async ({ assert }) => {
    const { account, appointment } = await world(120, { ownRoom: OWN_ROOM })
    await db.connection('machinery').from('client_preferences').where('client_id', appointment.clientId).update({ consent_details_in_email: true })
    await sendDueReminders()
    await sendAppointmentNotice({ appointmentId: appointment.id, kind: 'booked' }, SYSTEM_ACTOR)
    await deliverAll()
    const received = smtp.messages.filter((message) => message.to.includes(account.email.toLowerCase()))
    assert.lengthOf(received, 2)
    for (const message of received) {
      assert.include(message.text, 'video')
      assert.notInclude(message.raw, 'video.example.test')
    }
  })
})

test.group('Video rooms: staff set them', () => {
  test('booking a telehealth appointment with its own room; a room that is not https is refused next to the field', async ({ assert }) => {
    const admin = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const type = await createType()
    const web = await signIn(admin)
    await web.get('/appointments/new')
    for (const bad of ['http://video.example.test/a', 'javascript:alert(1)', 'https://video.example.test/a b']) {
      const refused = await web.post('/appointments', bookingForm(client, clinician, type, practiceAt(40, 11), { modality: 'telehealth', videoUrl: bad }))
      assert.equal(refused.location, '/appointments/new', bad)
      assert.equal(fieldError((await web.follow(refused)).text, 'videoUrl'), 'Please enter the video room’s full address, starting with https://.')
    }
    assert.lengthOf(await Appointment.query().where('client_id', client.id), 0)

    const booked = await web.post('/appointments', bookingForm(client, clinician, type, practiceAt(40, 11), { modality: 'telehealth', videoUrl: OWN_ROOM }))
    assert.equal(booked.status, 302)
    const appointment = await Appointment.query().where('client_id', client.id).firstOrFail()
    assert.equal(appointment.videoUrl, OWN_ROOM)
    assert.include((await web.follow(booked)).text, OWN_ROOM)

    // The database refuses what the form would: https only.
    const refused = await db.from('appointments').where('id', appointment.id).update({ video_url: 'http://x.test/' }).then(() => null, (error) => error)
    assert.match(String(refused?.message), /appointments_video_url/)
  })

  test('a clinician sets her own room; ceo/admin set anyone’s; audited without the address; others may not', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const own = await signIn(clinician)
    const form = await own.get('/staff/video-room')
    assert.equal(form.status, 200)
    const saved = await own.post('/staff/video-room', { videoRoomUrl: ROOM })
    assert.equal(saved.location, '/staff/video-room')
    assert.equal((await StaffUser.findOrFail(clinician.id)).videoRoomUrl, ROOM)
    const [event] = await auditRows('staff.staff_account.video_room_changed', { actor_id: clinician.id })
    assert.deepEqual(event.detail, { staffId: clinician.id, fields: 'videoRoomUrl', set: true })
    assert.notInclude(JSON.stringify(event), 'video.example.test')

    await own.get('/staff/video-room')
    const bad = await own.post('/staff/video-room', { videoRoomUrl: 'http://insecure.test/room' })
    assert.equal(fieldError((await own.follow(bad)).text, 'videoRoomUrl'), 'Please enter the video room’s full address, starting with https://.')
    assert.equal((await StaffUser.findOrFail(clinician.id)).videoRoomUrl, ROOM)

    // A clinician cannot open the Staff area's page for someone else.
    const other = await createStaff('clinician')
    assert.equal((await own.get(`/staff/${other.id}/video-room`)).status, 403)

    const admin = await signIn(await createStaff('admin'))
    const list = await admin.get('/staff')
    assert.include(list.text, `/staff/${clinician.id}/video-room`)
    await admin.get(`/staff/${clinician.id}/video-room`)
    await admin.post(`/staff/${clinician.id}/video-room`, { videoRoomUrl: '' })
    assert.isNull((await StaffUser.findOrFail(clinician.id)).videoRoomUrl)
  })
})
