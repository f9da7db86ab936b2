import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Appointment from '#models/appointment'
import ClientPreference from '#models/client_preference'
import type Client from '#models/client'
import type StaffUser from '#models/staff_user'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { sendDueReminders, dueReminders } from '#actions/reminders/send_due_reminders'
import { mayContact } from '#actions/contact/may_contact'
import { appointmentCalendarUid } from '#services/appointment_calendar'
import { deliverAll, groupSmtpCapture, linksIn } from '#tests/helpers/mail'
import { runCommand } from '#tests/helpers/ace'
import type { ReceivedMail } from '#tests/helpers/smtp'
import practice from '#config/practice'

const machinery = () => db.connection('machinery')

async function preferences(client: Client, values: Partial<ClientPreference>) {
  await ClientPreference.updateOrCreate({ clientId: client.id }, values)
}

function calendarOf(message: ReceivedMail) {
  return message.attachments.find((attachment) => attachment.contentType.startsWith('text/calendar'))?.content ?? ''
}

function reminderRows(appointmentId: number) {
  return machinery().from('appointment_reminders').where('appointment_id', appointmentId).orderBy('id')
}

/** An active adult client with a portal account of their own, and an appointment in two hours. */
async function clientWithAccount(attributes: { language?: 'en' | 'es' } = {}) {
  const client = await createClient()
  const account = await createPortalAccount(client, 'self', attributes.language ? { language: attributes.language } : {})
  const provider = await createStaff('clinician')
  const appointment = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ hours: 2 }).startOf('minute') })
  return { client, account, provider, appointment }
}

test.group('Reminders: the due pass', (group) => {
  const smtp = groupSmtpCapture(group)
  const mailTo = (email: string) => smtp.messages.filter((message) => message.to.includes(email.toLowerCase()))

  test('a due appointment gets one reminder per recipient, with its .ics, and only once', async ({ assert }) => {
    const { account, appointment } = await clientWithAccount()

    const first = await sendDueReminders()
    assert.isAtLeast(first.sent, 1)
    const again = await sendDueReminders()
    assert.equal(again.sent, 0)
    await deliverAll()

    const received = mailTo(account.email)
    assert.lengthOf(received, 1)
    assert.match(received[0].subject, /^A reminder from /)
    assert.include(received[0].text, `/portal/appointments/${appointment.id}`)
    assert.include(received[0].text, '988')
    // One "Confirm / I can't make it" link for this appointment and recipient (DESIGN §17).
    assert.lengthOf(await machinery().from('appointment_action_links').where({ appointment_id: appointment.id, client_user_id: account.id }), 1)
    const actionLink = linksIn(received[0]).find((link) => link.includes('/appointment-actions/'))
    assert.exists(actionLink)
    const page = await fetch(actionLink!)
    assert.equal(page.status, 200)
    const ics = calendarOf(received[0])
    assert.include(ics, `UID:${appointmentCalendarUid(appointment.id)}`)
    assert.include(ics, 'SEQUENCE:0')
    assert.include(ics, 'METHOD:REQUEST')

    const rows = await reminderRows(appointment.id)
    assert.lengthOf(rows, 1)
    assert.equal(Number(rows[0].client_user_id), account.id)
    assert.equal(rows[0].recipient_email, account.email.toLowerCase())
    assert.isNotNull(rows[0].mail_message_id)
    assert.isNull(rows[0].skipped_reason)
    assert.isNotNull((await Appointment.findOrFail(appointment.id)).reminderSentAt)
  })

  test('the database allows one reminder per appointment, start time and recipient', async ({ assert }) => {
    const { account, appointment } = await clientWithAccount()
    const insert = () =>
      machinery().table('appointment_reminders').insert({
        appointment_id: appointment.id,
        starts_at: appointment.startsAt.toISO(),
        client_user_id: account.id,
        recipient_email: account.email,
      })
    await insert()
    const error = await insert().then(() => null, (failure) => failure)
    assert.match(String(error?.message), /appointment_reminders_once/)
  })

  test('without detail consent the mail has neither provider, type nor address; with it, it has', async ({ assert }) => {
    const discreet = await clientWithAccount()
    const detailed = await clientWithAccount()
    await preferences(detailed.client, { consentDetailsInEmail: true })
    await Promise.all(
      [discreet, detailed].map(({ appointment }) => appointment.merge({ location: `Suite ${appointment.id}-B` }).save())
    )
    await sendDueReminders()
    await deliverAll()

    const [hidden] = mailTo(discreet.account.email)
    const typeName = (await Appointment.query().where('id', discreet.appointment.id).preload('appointmentType').firstOrFail())
      .appointmentType.name
    for (const secret of [discreet.provider.name, typeName, `Suite ${discreet.appointment.id}-B`]) {
      assert.notInclude(hidden.raw, secret)
      assert.notInclude(hidden.text + hidden.html + calendarOf(hidden), secret)
    }
    const [shown] = mailTo(detailed.account.email)
    for (const detail of [detailed.provider.name, typeName, `Suite ${detailed.appointment.id}-B`]) {
      assert.include(shown.text, detail)
    }
    assert.include(calendarOf(shown), detailed.provider.name)
  })

  test('mayContact refusing email: nothing is sent, the reason is recorded', async ({ assert }) => {
    const { client, account, appointment } = await clientWithAccount()
    await preferences(client, { consentEmail: false })
    assert.deepEqual(mayContact({ status: 'active', preference: { consentEmail: false } }, 'reminder'), {
      allowed: false,
      reason: 'no_email_consent',
    })
    assert.deepEqual(mayContact({ status: 'inactive', preference: null }, 'appointment_notice'), {
      allowed: false,
      reason: 'client_inactive',
    })

    await sendDueReminders()
    await deliverAll()
    assert.lengthOf(mailTo(account.email), 0)
    const rows = await reminderRows(appointment.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].skipped_reason, 'no_email_consent')
    assert.isNull(rows[0].mail_message_id)
  })

  test('reminders off for the client, or within the last hour: none', async ({ assert }) => {
    const off = await clientWithAccount()
    await preferences(off.client, { reminderChannel: 'none' })
    const late = await clientWithAccount()
    await late.appointment.merge({ startsAt: DateTime.now().plus({ minutes: 50 }), endsAt: DateTime.now().plus({ minutes: 100 }) }).save()

    await sendDueReminders()
    assert.lengthOf(await reminderRows(off.appointment.id), 0)
    assert.lengthOf(await reminderRows(late.appointment.id), 0)
  })

  test('a reschedule after the reminder makes a second one due for the new time, SEQUENCE + 1', async ({ assert }) => {
    const { account, appointment } = await clientWithAccount()
    await sendDueReminders()
    await deliverAll()
    assert.lengthOf(mailTo(account.email), 1, 'the first reminder went out')
    const moved = await Appointment.findOrFail(appointment.id)
    await moved.reschedule({
      providerId: moved.providerId,
      appointmentTypeId: moved.appointmentTypeId,
      startsAt: moved.startsAt.plus({ hours: 3 }),
      modality: 'in_person',
    })
    assert.equal(moved.calendarSequence, 1)
    await sendDueReminders()
    await deliverAll()

    const received = mailTo(account.email)
    assert.lengthOf(received, 2)
    // Delivered in one batch, in any order: one for each start time.
    const sequences = received.map((message) => calendarOf(message).match(/SEQUENCE:(\d+)/)?.[1]).sort()
    assert.deepEqual(sequences, ['0', '1'])
    assert.lengthOf(await reminderRows(appointment.id), 2)
  })

  test('an appointment cancelled before its reminder went out gets none', async ({ assert }) => {
    const { account, appointment } = await clientWithAccount()
    await appointment.cancel({ late: true, byStaffId: null })
    await sendDueReminders()
    await deliverAll()
    assert.lengthOf(mailTo(account.email), 0)
    assert.lengthOf(await reminderRows(appointment.id), 0)
  })

  test('no account: an adult client is written to at their own email, in their language, with how to stop', async ({ assert }) => {
    const email = `own-${Date.now()}@client.test`
    const adult = await createClient({ email, emailLanguage: 'es' })
    const minor = await createClient({ email: `minor-${Date.now()}@client.test`, dateOfBirth: DateTime.now().minus({ years: 15 }) })
    const provider = await createStaff('clinician')
    const soon = () => DateTime.now().plus({ hours: 2, minutes: Math.floor(Math.random() * 500) }).startOf('minute')
    const adultsAppointment = await createAppointment(adult, provider, { startsAt: soon() })
    const minorsAppointment = await createAppointment(minor, provider, { startsAt: soon().plus({ hours: 10 }) })

    await sendDueReminders()
    await deliverAll()
    const [mail] = mailTo(email)
    assert.match(mail.subject, /^Un recordatorio de /)
    assert.include(mail.text, 'Para dejar de recibirlos')
    // No account: no portal link they could not use.
    assert.notInclude(mail.text, '/portal/appointments/')
    const [row] = await reminderRows(adultsAppointment.id)
    assert.isNull(row.client_user_id)
    assert.equal(row.recipient_email, email)
    const [minorRow] = await reminderRows(minorsAppointment.id)
    assert.equal(minorRow.skipped_reason, 'no_recipient')
  })

  test('reminders:send --dry-run lists what is due and queues nothing', async ({ assert }) => {
    const { appointment } = await clientWithAccount()
    const result = await runCommand('reminders:send', ['--dry-run'])
    assert.equal(result.code, 0, result.output)
    assert.include(result.output, `Appointment #${appointment.id}`)
    assert.lengthOf(await reminderRows(appointment.id), 0)

    const sent = await runCommand('reminders:send', [])
    assert.equal(sent.code, 0, sent.output)
    assert.lengthOf(await reminderRows(appointment.id), 1)
  })
})

test.group('Reminders: daylight saving time', (group) => {
  const smtp = groupSmtpCapture(group)
  let provider: StaffUser

  group.setup(async () => {
    provider = await createStaff('clinician')
  })

  for (const [label, monday] of [
    ['spring forward', '2027-03-15'],
    ['fall back', '2027-11-08'],
  ] as const) {
    test(`a 9:00 AM appointment on the Monday after the ${label}, 24 h lead, is due at the right instant`, async ({ assert }) => {
      const client = await createClient()
      const account = await createPortalAccount(client)
      await preferences(client, { reminderLeadHours: 24 })
      const startsAt = DateTime.fromISO(`${monday}T09:00`, { zone: practice.timeZone })
      const appointment = await createAppointment(client, provider, { startsAt })
      const dueAt = startsAt.minus({ hours: 24 })

      const ids = async (now: DateTime) => (await dueReminders(now, { limit: 10_000 })).map((row) => row.appointmentId)
      assert.notInclude(await ids(dueAt.minus({ seconds: 1 })), appointment.id)
      assert.include(await ids(dueAt), appointment.id)
      assert.include(await ids(startsAt.minus({ minutes: 61 })), appointment.id)
      assert.notInclude(await ids(startsAt.minus({ minutes: 60 })), appointment.id)

      await sendDueReminders({ now: dueAt })
      await deliverAll()
      const [mail] = smtp.messages.filter((message) => message.to.includes(account.email.toLowerCase()))
      assert.match(mail.text, /at 9:00\sAM/)
    })
  }
})
