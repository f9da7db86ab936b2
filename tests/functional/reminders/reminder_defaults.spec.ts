import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Appointment from '#models/appointment'
import ClientPreference from '#models/client_preference'
import PracticeSetting from '#models/practice_setting'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { dueReminders, sendDueReminders } from '#actions/reminders/send_due_reminders'
import { deliverAll, groupSmtpCapture, linksIn } from '#tests/helpers/mail'
import { auditRows, pathOf, uniqueEmail } from '#tests/helpers/onboarding'
import { WebSession } from '#tests/helpers/web'
import { formatDate, formatTime } from '#support/practice_time'
import MakeReminderDefaultsCoherent from '#database/migrations/1764140000034_make_reminder_defaults_coherent'

/*
| The shipped defaults fit together (issue #17, "Done when"): a new
| client's reminder goes out 48 hours ahead and the cancellation window is
| 24 hours, so a reminder for a session 30 hours away arrives while the
| client may still cancel from it. One real pass with `now` bound, the mail
| over the test SMTP server, its link followed over HTTP, the cancel posted:
| the appointment is cancelled by the client through the link, and the
| freed slot is recorded for the waitlist (issue #22) in that transaction.
*/

const machinery = () => db.connection('machinery')

/** A new active adult client (the defaults untouched) with a portal account, and a session `hoursAhead` from `now`. */
async function world(now: DateTime, hoursAhead: number) {
  const provider = await createStaff('clinician', { email: uniqueEmail('defaults-provider') })
  const client = await createClient()
  const account = await createPortalAccount(client, 'self')
  const appointment = await createAppointment(client, provider, { startsAt: now.plus({ hours: hoursAhead }).startOf('minute') })
  return { provider, client, account, appointment }
}

async function setReminders(enabled: boolean) {
  await machinery().from('practice_settings').where('id', 1).update({ reminders_enabled: enabled })
  PracticeSetting.forget()
}

test.group('Reminders: the shipped defaults let a client cancel from the reminder', (group) => {
  const smtp = groupSmtpCapture(group)
  const mailTo = (email: string) => smtp.messages.filter((message) => message.to.includes(email.toLowerCase()))
  group.each.setup(() => setReminders(true))
  group.teardown(() => setReminders(true))

  test('a session 30 hours ahead: reminded with the default lead, cancelled from the mailed link, its slot offered to the waitlist', async ({ assert }) => {
    const settings = await PracticeSetting.current()
    assert.equal(settings.defaultReminderLeadHours, 48)
    assert.equal(settings.cancellationWindowHours, 24)

    const now = DateTime.now().startOf('minute')
    const { provider, client, account, appointment } = await world(now, 30)
    // The client's lead is the default one: nobody chose it.
    assert.equal((await ClientPreference.findOrFail(client.id)).reminderLeadHours, 48)

    // Due from 48 hours before the start: not yet 19 hours ago, already 17 hours ago.
    const dueAt = async (at: DateTime) => (await dueReminders(at, { limit: 10_000 })).map((row) => row.appointmentId)
    assert.notInclude(await dueAt(now.minus({ hours: 19 })), appointment.id)
    assert.include(await dueAt(now.minus({ hours: 17 })), appointment.id)

    // One real pass, `now` bound.
    const pass = await sendDueReminders({ now })
    assert.isAtLeast(pass.sent, 1)
    const [reminder] = await machinery().from('appointment_reminders').where('appointment_id', appointment.id)
    assert.equal(Number(reminder.client_user_id), account.id)
    assert.isNotNull(reminder.mail_message_id)

    // The mail, received over SMTP.
    await deliverAll()
    const received = mailTo(account.email).filter((message) => /^A reminder from /.test(message.subject))
    assert.lengthOf(received, 1)
    assert.include(received[0].text, formatTime(appointment.startsAt))
    const link = linksIn(received[0]).find((href) => href.includes('/portal/appointment-actions/'))
    assert.exists(link)

    // Its link, followed over HTTP: the page offers to cancel (it is not too late) and changes nothing.
    const web = new WebSession()
    const page = await web.get(pathOf(link!))
    assert.equal(page.status, 200)
    assert.include(page.text, formatDate(appointment.startsAt))
    assert.include(page.text, 'value="cancel"')
    assert.notInclude(page.text, 'too late to cancel')
    await appointment.refresh()
    assert.equal(appointment.status, 'scheduled')

    // "I can't make it": cancelled by the client, through the reminder's link.
    const cancelled = await web.post(pathOf(link!), { choice: 'cancel' })
    assert.equal(cancelled.status, 200)
    assert.include(cancelled.text, 'Your appointment is cancelled.')
    const after = await Appointment.findOrFail(appointment.id)
    assert.equal(after.status, 'cancelled')
    assert.equal(after.cancelledByKind, 'client_link')
    assert.equal(after.cancelledById, account.id)
    assert.isNotNull(after.cancelledAt)
    assert.lengthOf(await auditRows('portal.appointment.cancelled', { actor_id: account.id, client_id: client.id }), 1)

    // The freed slot, recorded for the waitlist in the cancelling transaction (issue #22's trigger).
    const slots = await machinery().from('waitlist_slots').where('freed_appointment_id', appointment.id)
    assert.lengthOf(slots, 1)
    assert.equal(slots[0].status, 'open')
    assert.equal(Number(slots[0].provider_id), provider.id)
    assert.equal(DateTime.fromJSDate(slots[0].starts_at).toMillis(), appointment.startsAt.toMillis())
  })

  test('reminders off for the practice: a pass queues nothing for a due appointment', async ({ assert }) => {
    const now = DateTime.now().startOf('minute')
    const { account, appointment } = await world(now, 30)
    assert.include((await dueReminders(now, { limit: 10_000 })).map((row) => row.appointmentId), appointment.id)

    await setReminders(false)
    assert.deepEqual(await dueReminders(now, { limit: 10_000 }), [])
    const mailBefore = await machinery().from('mail_messages').where('recipient', account.email.toLowerCase())
    const pass = await sendDueReminders({ now })
    assert.deepEqual(pass, { sent: 0, skipped: 0, taken: 0 })
    assert.lengthOf(await machinery().from('appointment_reminders').where('appointment_id', appointment.id), 0)
    assert.lengthOf(await machinery().from('mail_messages').where('recipient', account.email.toLowerCase()), mailBefore.length)
    await deliverAll()
    assert.lengthOf(mailTo(account.email), 0)
    assert.isNull((await Appointment.findOrFail(appointment.id)).reminderSentAt)

    // On again: the same appointment is due at once.
    await setReminders(true)
    assert.isAtLeast((await sendDueReminders({ now })).sent, 1)
    assert.lengthOf(await machinery().from('appointment_reminders').where('appointment_id', appointment.id), 1)
  })
})

test.group('Reminder defaults: the migration', () => {
  test('an existing client still on the old 24-hour default moves to 48; a saved preference keeps its value', async ({ assert }) => {
    const untouched = await createClient()
    const saved = await createClient()
    // As before the migration: the old default, one row never saved since it was made, one saved later.
    await db.from('client_preferences').where('client_id', untouched.id).update({ reminder_lead_hours: 24, updated_at: db.raw('created_at') })
    await db.from('client_preferences').where('client_id', saved.id).update({ reminder_lead_hours: 24, updated_at: db.raw(`created_at + interval '1 day'`) })

    const trx = await db.transaction()
    try {
      // Down and up again, in a transaction rolled back after (PostgreSQL DDL is transactional).
      await new MakeReminderDefaultsCoherent(trx, 'reminder-defaults', false).execDown()
      await new MakeReminderDefaultsCoherent(trx, 'reminder-defaults', false).execUp()
      const lead = async (clientId: number) =>
        (await trx.from('client_preferences').where('client_id', clientId).first()).reminder_lead_hours
      assert.equal(await lead(untouched.id), 48)
      assert.equal(await lead(saved.id), 24)
    } finally {
      await trx.rollback()
    }
  })
})
