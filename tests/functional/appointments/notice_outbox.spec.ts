import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Appointment from '#models/appointment'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { sendDueReminders } from '#actions/reminders/send_due_reminders'
import { signIn } from '#tests/helpers/sign_in'
import { uniqueEmail } from '#tests/helpers/onboarding'
import { bookingForm, createType, local, practiceAt } from '#tests/functional/staff/appointments/helpers'

/*
| The outbox (issue #17): an appointment's change and the notice about it
| commit in one transaction. To prove it, the database itself refuses the
| notice after the change was made in the same transaction: a CHECK
| constraint on mail_messages for this test's recipient only (others' mail
| is untouched). The whole change must then be gone, and no mail queued.
*/
async function refusingMailTo(email: string, run: () => Promise<void>) {
  const name = `test_refuse_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  // DDL takes no bind parameters: the (generated) address as a quoted literal.
  const literal = `'${email.toLowerCase().replaceAll("'", "''")}'`
  await db.connection('machinery').rawQuery(`alter table mail_messages add constraint ${name} check (recipient <> ${literal}) not valid`)
  try {
    await run()
  } finally {
    await db.connection('machinery').rawQuery(`alter table mail_messages drop constraint ${name}`)
  }
}

const mailTo = (email: string) => db.connection('machinery').from('mail_messages').where('recipient', email.toLowerCase())
const row = (id: number) => db.connection('machinery').from('appointments').where('id', id).firstOrFail()

async function world(hoursAhead = 72) {
  const provider = await createStaff('clinician', { email: uniqueEmail('provider') })
  const client = await createClient()
  const account = await createPortalAccount(client)
  const appointment = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ hours: hoursAhead }).startOf('minute') })
  return { provider, client, account, appointment }
}

test.group('Appointment changes and their notices commit together', () => {
  test('staff booking: a notice the database refuses leaves no appointment and no mail', async ({ assert }) => {
    const admin = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const client = await createClient()
    const account = await createPortalAccount(client)
    const type = await createType()
    const web = await signIn(admin)
    await web.get('/appointments/new')

    await refusingMailTo(account.email, async () => {
      const response = await web.post('/appointments', bookingForm(client, clinician, type, practiceAt(30, 10)))
      assert.equal(response.status, 500)
      assert.notInclude(response.text, 'mail_messages')
    })
    assert.lengthOf(await Appointment.query().where('client_id', client.id), 0)
    assert.lengthOf(await mailTo(account.email), 0)

    // Without the refusal both are written.
    await web.get('/appointments/new')
    const booked = await web.post('/appointments', bookingForm(client, clinician, type, practiceAt(30, 10)))
    assert.equal(booked.status, 302)
    const [appointment] = await Appointment.query().where('client_id', client.id)
    const [notice] = await mailTo(account.email)
    assert.equal(notice.template, 'appointment_notice')
    assert.equal(notice.data.notice, 'booked')
    assert.equal(notice.client_id, appointment.clientId)
  })

  test('staff rescheduling: a refused notice leaves the old time and calendar sequence', async ({ assert }) => {
    const { account, appointment, provider } = await world()
    const before = await row(appointment.id)
    const web = await signIn(await createStaff('admin'))
    await web.get(`/appointments/${appointment.id}/edit`)
    const form = {
      providerId: String(provider.id),
      appointmentTypeId: String(appointment.appointmentTypeId),
      startsAt: local(appointment.startsAt.plus({ days: 1 })),
      endsAt: '',
      modality: 'in_person',
      location: 'Suite 210',
    }
    await refusingMailTo(account.email, async () => {
      assert.equal((await web.post(`/appointments/${appointment.id}`, form)).status, 500)
    })
    assert.deepEqual(await row(appointment.id), before)
    assert.lengthOf(await mailTo(account.email), 0)

    await web.get(`/appointments/${appointment.id}/edit`)
    assert.equal((await web.post(`/appointments/${appointment.id}`, form)).status, 302)
    const after = await row(appointment.id)
    assert.equal(after.calendar_sequence, before.calendar_sequence + 1)
    const [notice] = await mailTo(account.email)
    assert.equal(notice.data.notice, 'rescheduled')
  })

  test('staff rescheduling into a clash writes nothing and sends nothing', async ({ assert }) => {
    const { account, appointment, provider, client } = await world()
    const other = await createAppointment(client, provider, { startsAt: appointment.startsAt.plus({ days: 2 }) })
    const before = await row(appointment.id)
    const web = await signIn(await createStaff('admin'))
    await web.get(`/appointments/${appointment.id}/edit`)
    const response = await web.post(`/appointments/${appointment.id}`, {
      providerId: String(provider.id),
      appointmentTypeId: String(appointment.appointmentTypeId),
      startsAt: local(other.startsAt),
      endsAt: '',
      modality: 'in_person',
      location: '',
    })
    assert.equal(response.location, `/appointments/${appointment.id}/edit`)
    assert.deepEqual(await row(appointment.id), before)
    assert.lengthOf(await mailTo(account.email), 0)
  })

  test('staff cancelling: a refused notice leaves it scheduled and its queued reminder in place', async ({ assert }) => {
    const { account, appointment } = await world(3)
    await sendDueReminders()
    const [reminder] = await db.connection('machinery').from('appointment_reminders').where('appointment_id', appointment.id)
    assert.isNotNull(reminder.mail_message_id)

    const web = await signIn(await createStaff('admin'))
    await web.get(`/appointments/${appointment.id}`)
    // The reminder is already queued to this address; the refusal only stops new rows.
    await refusingMailTo(account.email, async () => {
      assert.equal((await web.post(`/appointments/${appointment.id}/cancel`, {})).status, 500)
    })
    assert.equal((await row(appointment.id)).status, 'scheduled')
    const [still] = await db.connection('machinery').from('appointment_reminders').where('appointment_id', appointment.id)
    assert.isNull(still.withdrawn_at)
    assert.equal(still.mail_message_id, reminder.mail_message_id)
    assert.lengthOf(await mailTo(account.email).where('template', 'appointment_notice'), 0)

    await web.get(`/appointments/${appointment.id}`)
    await web.post(`/appointments/${appointment.id}/cancel`, {})
    assert.equal((await row(appointment.id)).status, 'late_cancelled')
    const mails = await mailTo(account.email)
    assert.deepEqual(mails.map((mail) => mail.template), ['appointment_notice'], 'the reminder withdrawn, the notice queued')
    const [event] = await db.connection('machinery').from('audit_events').where('action', 'staff.appointment.cancelled').where('client_id', appointment.clientId)
    assert.equal(event.actor_kind, 'staff')
  })

  test('a client cancelling: a refused provider notice leaves the appointment scheduled', async ({ assert }) => {
    const { account, appointment, provider } = await world()
    const web = await signIn(account)
    const path = `/portal/appointments/${appointment.id}/confirm-or-cancel`
    await web.get(path)
    await refusingMailTo(provider.email, async () => {
      assert.equal((await web.post(path, { choice: 'cancel' })).status, 500)
    })
    assert.equal((await row(appointment.id)).status, 'scheduled')
    assert.lengthOf(await mailTo(provider.email), 0)

    await web.get(path)
    const response = await web.post(path, { choice: 'cancel' })
    assert.include(response.text, 'Your appointment is cancelled.')
    assert.equal((await row(appointment.id)).status, 'cancelled')
    const [notice] = await mailTo(provider.email)
    assert.equal(notice.template, 'provider_cancellation_notice')
    assert.isNull(notice.client_id)
  })

  test('the portal role may queue no other mail: not for another client, not before a cancellation', async ({ assert }) => {
    const mine = await world()
    const theirs = await world()
    for (const [clientId, appointmentId] of [
      [mine.client.id, theirs.appointment.id],
      [mine.client.id, mine.appointment.id],
    ]) {
      const queued = await db.transaction(async (trx) => {
        await trx.rawQuery(`select set_config('role', ?, true), set_config('app.client_id', ?, true)`, [
          process.env.PORTAL_DB_ROLE ?? 'portal_client',
          String(clientId),
        ])
        const { rows } = await trx.rawQuery(`select portal_queue_provider_cancellation_notice(?, 'x', '{}'::jsonb, ?) as queued`, [
          appointmentId,
          `<${Math.random()}@test>`,
        ])
        const refused = await trx
          .rawQuery(`insert into mail_messages (template, recipient, subject, message_id) values ('test_message', 'a@b.c', 'x', 'y')`)
          .then(() => false, () => true)
        return { queued: rows[0].queued, refused }
      })
      assert.isFalse(queued.queued)
      assert.isTrue(queued.refused, 'no insert grant on mail_messages')
    }
    assert.lengthOf(await mailTo(theirs.provider.email), 0)
  })
})
