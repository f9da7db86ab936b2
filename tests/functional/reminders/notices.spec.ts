import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Appointment from '#models/appointment'
import ClientPreference from '#models/client_preference'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { sendDueReminders } from '#actions/reminders/send_due_reminders'
import { sendAppointmentNotice } from '#actions/reminders/send_appointment_notice'
import { appointmentCalendarUid } from '#services/appointment_calendar'
import { SYSTEM_ACTOR } from '#support/actor'
import { signIn } from '#tests/helpers/sign_in'
import { deliverAll, groupSmtpCapture } from '#tests/helpers/mail'
import type { ReceivedMail } from '#tests/helpers/smtp'

const calendarOf = (message: ReceivedMail) =>
  message.attachments.find((attachment) => attachment.contentType.startsWith('text/calendar'))?.content ?? ''

test.group('Reminders: appointment notices', (group) => {
  const smtp = groupSmtpCapture(group)
  const mailTo = (email: string) => smtp.messages.filter((message) => message.to.includes(email.toLowerCase()))

  test('booking and rescheduling tell the recipients, with the same UID and a growing SEQUENCE', async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client)
    const appointment = await createAppointment(client, await createStaff('clinician'), {
      startsAt: DateTime.now().plus({ days: 5 }).startOf('minute'),
    })
    await sendAppointmentNotice({ appointmentId: appointment.id, kind: 'booked' }, SYSTEM_ACTOR)
    await appointment.reschedule({
      providerId: appointment.providerId,
      appointmentTypeId: appointment.appointmentTypeId,
      startsAt: appointment.startsAt.plus({ days: 1 }),
      modality: 'telehealth',
    })
    await sendAppointmentNotice({ appointmentId: appointment.id, kind: 'rescheduled' }, SYSTEM_ACTOR)
    await deliverAll()

    // Delivered in one batch, in any order.
    const received = mailTo(account.email)
    assert.lengthOf(received, 2)
    const booked = received.find((message) => message.text.includes('An appointment was booked for'))!
    const moved = received.find((message) => message.text.includes('An appointment was moved'))!
    assert.exists(booked)
    assert.exists(moved)
    assert.match(booked.subject, /^An appointment update from /)
    assert.include(moved.text, 'by video')
    for (const [message, sequence] of [[booked, 0], [moved, 1]] as const) {
      const ics = calendarOf(message)
      assert.include(ics, `UID:${appointmentCalendarUid(appointment.id)}`)
      assert.include(ics, `SEQUENCE:${sequence}`)
    }
  })

  test('a notice mayContact refuses is not sent; the refusal is audited', async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client)
    await ClientPreference.updateOrCreate({ clientId: client.id }, { consentEmail: false })
    const appointment = await createAppointment(client, await createStaff('clinician'))
    await sendAppointmentNotice({ appointmentId: appointment.id, kind: 'booked' }, SYSTEM_ACTOR)
    await deliverAll()
    assert.lengthOf(mailTo(account.email), 0)
    const event = await db
      .from('audit_events')
      .where('action', 'system.appointment.notice')
      .where('client_id', client.id)
      .firstOrFail()
    assert.equal(event.detail.notSent, 'no_email_consent')
  })

  test('staff cancelling withdraws the queued reminder and sends a METHOD:CANCEL notice', async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client)
    const appointment = await createAppointment(client, await createStaff('clinician'), {
      startsAt: DateTime.now().plus({ hours: 3 }).startOf('minute'),
    })
    await sendDueReminders()
    const [reminder] = await db.connection('machinery').from('appointment_reminders').where('appointment_id', appointment.id)
    assert.isNotNull(reminder.mail_message_id)

    const web = await signIn(await createStaff('admin'))
    await web.get(`/appointments/${appointment.id}`)
    await web.post(`/appointments/${appointment.id}/cancel`, {})
    assert.equal((await Appointment.findOrFail(appointment.id)).status, 'late_cancelled')
    await deliverAll()

    const received = mailTo(account.email)
    assert.lengthOf(received, 1, 'the reminder never went out')
    assert.include(received[0].text, 'was cancelled')
    const ics = calendarOf(received[0])
    assert.include(ics, 'METHOD:CANCEL')
    assert.include(ics, 'STATUS:CANCELLED')
    const [withdrawn] = await db.connection('machinery').from('appointment_reminders').where('appointment_id', appointment.id)
    assert.isNotNull(withdrawn.withdrawn_at)
    assert.equal(withdrawn.skipped_reason, 'withdrawn')
    assert.isNull(withdrawn.mail_message_id)
  })
  test('a client cancelling on the portal withdraws the queued reminder in the same transaction', async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client)
    // A 72-hour lead: the reminder is due now, and the session is still ahead of the 24-hour window.
    await ClientPreference.updateOrCreate({ clientId: client.id }, { reminderLeadHours: 72 })
    const appointment = await createAppointment(client, await createStaff('clinician'), {
      startsAt: DateTime.now().plus({ hours: 40 }).startOf('minute'),
    })
    await sendDueReminders()
    const [reminder] = await db.connection('machinery').from('appointment_reminders').where('appointment_id', appointment.id)
    assert.isNotNull(reminder.mail_message_id)

    const web = await signIn(account)
    await web.get(`/portal/appointments/${appointment.id}/confirm-or-cancel`)
    assert.equal((await web.post(`/portal/appointments/${appointment.id}/cancel`, {})).status, 200)
    assert.equal((await Appointment.findOrFail(appointment.id)).status, 'cancelled')

    const [withdrawn] = await db.connection('machinery').from('appointment_reminders').where('appointment_id', appointment.id)
    assert.isNotNull(withdrawn.withdrawn_at)
    assert.equal(withdrawn.skipped_reason, 'withdrawn')
    assert.isNull(withdrawn.mail_message_id)
    const reminders = await db.connection('machinery').from('mail_messages').where({ recipient: account.email.toLowerCase(), template: 'appointment_reminder' })
    assert.lengthOf(reminders, 0, 'the reminder never goes out')
  })
})
