import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { sendDueReminders } from '#actions/reminders/send_due_reminders'
import { signIn } from '#tests/helpers/sign_in'

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
