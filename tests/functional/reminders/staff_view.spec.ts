import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { sendDueReminders } from '#actions/reminders/send_due_reminders'
import { signIn } from '#tests/helpers/sign_in'
import db from '@adonisjs/lucid/services/db'
import PracticeSetting from '#models/practice_setting'
import { deliverAll, groupSmtpCapture } from '#tests/helpers/mail'

test.group('Reminders: what staff see', () => {
  test('the appointment page says when a reminder went out, and to whom', async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client, 'self', { displayName: 'Noor' })
    const provider = await createStaff('clinician')
    const appointment = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ hours: 2 }).startOf('minute') })
    const web = await signIn(await createStaff('support_staff'))

    assert.notInclude((await web.get(`/appointments/${appointment.id}`)).text, 'id="appointment-reminders"')
    await sendDueReminders()
    const page = (await web.get(`/appointments/${appointment.id}`)).text
    assert.match(page, /<dd id="appointment-reminders">[^<]+ to Noor \(portal account\)<\/dd>/)
    assert.notInclude(page, account.email)
  })
})

test.group('Reminders: the sender', (group) => {
  const smtp = groupSmtpCapture(group)
  group.each.teardown(async () => {
    await db.from('practice_settings').where('id', 1).update({ sender_name: null })
    PracticeSetting.forget()
  })

  test("mail to clients carries the practice's sender name; mail to staff keeps the configured one", async ({ assert }) => {
    await db.from('practice_settings').where('id', 1).update({ sender_name: 'RB Appointments' })
    PracticeSetting.forget()
    const client = await createClient()
    const account = await createPortalAccount(client)
    const provider = await createStaff('clinician')
    await createAppointment(client, provider, { startsAt: DateTime.now().plus({ hours: 2 }).startOf('minute') })
    await sendDueReminders()
    await deliverAll()
    const reminder = smtp.messages.find((message) => message.to.includes(account.email))
    assert.exists(reminder)
    assert.include(reminder!.from, 'RB Appointments')
    assert.equal(reminder!.subject, 'A reminder from RB Appointments')
  })
})
