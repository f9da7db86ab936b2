import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Appointment from '#models/appointment'
import ClientPreference from '#models/client_preference'
import PracticeSetting from '#models/practice_setting'
import ClientUserLink from '#models/client_user_link'
import AppointmentRequest from '#models/appointment_request'
import WaitlistEntry from '#models/waitlist_entry'
import { cancelAppointment } from '#actions/appointments/cancel_appointment'
import { runWaitlistPass } from '#actions/waitlist/send_waitlist_offers'
import { declineRequest } from '#actions/requests/decide_request'
import { endPortalLink } from '#actions/portal_accounts/end_portal_link'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { sendDueReminders } from '#actions/reminders/send_due_reminders'
import { sendAppointmentNotice } from '#actions/reminders/send_appointment_notice'
import { disablePortalAccount } from '#actions/portal_accounts/disable_portal_account'
import { requestPasswordReset } from '#actions/password_resets/request_password_reset'
import { resetPassword } from '#actions/password_resets/reset_password'
import { portalResets } from '#actions/password_resets/reset_sides'
import { requestEmailChange } from '#actions/sign_in_email/request_email_change'
import { signIn } from '#tests/helpers/sign_in'
import { MAIL_TEMPLATES, type MailTemplate } from '#models/mail_message'
import { deliverAll, groupSmtpCapture } from '#tests/helpers/mail'
import { invite, NEW_PASSWORD, uniqueEmail } from '#tests/helpers/onboarding'
import type { ReceivedMail } from '#tests/helpers/smtp'
import { SYSTEM_ACTOR, type Actor } from '#support/actor'
import practice from '#config/practice'

/*
| Discreet mode (issue #18 item 2, DESIGN §15): the raw MIME of every mail
| kind that can be about a client, sent for a client in discreet mode, names
| neither the practice, the provider nor the appointment type, has the
| neutral subject and sender name, and its calendar file is titled
| "Appointment" with no place, description or organizer. Detail consent is
| on for these clients: discreet mode overrides it.
*/

/** Client mail kinds: discreet mode applies to each. The rest go to staff. */
const CLIENT_TEMPLATES: MailTemplate[] = [
  'portal_invitation',
  'password_reset',
  'password_changed',
  'email_change_confirm',
  'email_change_notice',
  'portal_access_disabled',
  'appointment_reminder',
  'appointment_notice',
  'access_notice',
  'appointment_request_update',
  'waitlist_offer',
]
const STAFF_TEMPLATES: MailTemplate[] = ['staff_invitation', 'test_message', 'provider_cancellation_notice']

const NEUTRAL_SUBJECTS: Record<string, { en: string; es: string }> = {
  portal_invitation: { en: 'Set up your account', es: 'Cree su cuenta' },
  password_reset: { en: 'Reset your password', es: 'Restablezca su contraseña' },
  password_changed: { en: 'Your password was changed', es: 'Se cambió su contraseña' },
  email_change_confirm: { en: 'Confirm your new sign-in email', es: 'Confirme su nuevo correo para iniciar sesión' },
  email_change_notice: { en: 'A change of your sign-in email', es: 'Un cambio en su correo para iniciar sesión' },
  portal_access_disabled: { en: 'Your account access has changed', es: 'Cambió el acceso a su cuenta' },
  appointment_reminder: { en: 'Appointment reminder', es: 'Recordatorio de cita' },
  appointment_notice: { en: 'Appointment update', es: 'Aviso sobre una cita' },
  access_notice: { en: 'A change to your account', es: 'Un cambio en su cuenta' },
  appointment_request_update: { en: 'A reply to your request', es: 'Respuesta a su solicitud' },
  waitlist_offer: { en: 'An earlier time is available', es: 'Hay una hora disponible antes' },
}

const anonymous = (): Actor => ({ kind: 'anonymous', id: null, ip: `198.51.100.${Math.floor(Math.random() * 250) + 1}`, userAgent: 'test' })

function calendarOf(message: ReceivedMail) {
  return message.attachments.find((attachment) => attachment.contentType.startsWith('text/calendar'))?.content ?? ''
}

/** What a reader (or someone reading over their shoulder) sees, decoded. */
function readable(message: ReceivedMail) {
  return [message.subject, message.from, message.text, message.html, ...message.attachments.map((part) => part.content)].join('\n')
}

/** Everything that crossed the wire: the raw MIME (quoted-printable lines joined) and its decoded parts. */
function everything(message: ReceivedMail) {
  return [message.raw, message.raw.replace(/=\r?\n/g, ''), readable(message)].join('\n')
}

/** A discreet client (detail consent on, so discreet mode must override it) with an appointment in two hours. */
async function discreetClient(language: 'en' | 'es' = 'en') {
  const client = await createClient({ emailLanguage: language })
  await ClientPreference.updateOrCreate({ clientId: client.id }, { discreetMode: true, consentDetailsInEmail: true })
  const provider = await createStaff('clinician')
  const appointment = await createAppointment(client, provider, {
    startsAt: DateTime.now().plus({ hours: 2 }).startOf('minute'),
  })
  await appointment.merge({ location: `Suite ${appointment.id}-D` }).save()
  const typeName = (await Appointment.query().where('id', appointment.id).preload('appointmentType').firstOrFail()).appointmentType.name
  return { client, provider, appointment, secrets: [practice.name, provider.name, typeName, `Suite ${appointment.id}-D`] }
}

test.group('Discreet mode: every client mail is neutral', (group) => {
  const smtp = groupSmtpCapture(group)
  const mailTo = (email: string) => smtp.messages.filter((message) => message.to.includes(email.toLowerCase()))

  let senderName: string | null = null
  group.setup(async () => {
    senderName = (await PracticeSetting.findOrFail(1)).senderName
  })
  group.each.teardown(async () => {
    await PracticeSetting.query().where('id', 1).update({ senderName })
    PracticeSetting.forget()
  })

  test('the lists cover every mail template there is', ({ assert }) => {
    assert.sameMembers([...CLIENT_TEMPLATES, ...STAFF_TEMPLATES], [...MAIL_TEMPLATES])
  })

  for (const language of ['en', 'es'] as const) {
    test(`every client mail kind, in ${language}: no practice, provider or type; neutral subject, sender and .ics`, async ({ assert }) => {
      const { client, provider, appointment, secrets } = await discreetClient(language)
      const received = new Map<MailTemplate, ReceivedMail[]>()
      const collect = async (template: MailTemplate, email: string) => {
        await deliverAll()
        const found = mailTo(email).filter((message) => !([...received.values()].flat().includes(message)))
        assert.isAtLeast(found.length, 1, `${template} to ${email}`)
        received.set(template, [...(received.get(template) ?? []), ...found])
      }

      // Invitation, then the account it makes (in the same language).
      const invited = await invite(client, uniqueEmail('discreet-invitee'))
      await collect('portal_invitation', invited.email)
      const account = await createPortalAccount(client, 'self', { language })

      // Account security: exempt from the rules, yet discreet.
      await requestPasswordReset(portalResets, account.email, anonymous())
      await collect('password_reset', account.email)
      const resetLink = received.get('password_reset')![0].text.match(/https?:\/\/\S+\/reset-password\/(\S+)/)![1]
      assert.isNotNull(await resetPassword(portalResets, resetLink, NEW_PASSWORD, anonymous()))
      await collect('password_changed', account.email)
      const newEmail = uniqueEmail('discreet-new')
      await requestEmailChange(account, newEmail)
      await collect('email_change_confirm', newEmail)
      await collect('email_change_notice', account.email)

      // Appointment mail: a reminder and each notice.
      assert.isAtLeast((await sendDueReminders()).sent, 1)
      await collect('appointment_reminder', account.email)
      for (const kind of ['rescheduled', 'cancelled'] as const) {
        await sendAppointmentNotice({ appointmentId: appointment.id, kind }, SYSTEM_ACTOR)
        await collect('appointment_notice', account.email)
      }

      // The practice replies to what the client asked for (#19): only "sign in to read it". Consent to
      // details would carry a decline's message; discreet mode keeps it (and the provider it names) out.
      const declineMessage = `${provider.name} has no mornings left; please call us (${language})`
      const asked = await AppointmentRequest.create({ clientId: client.id, clientUserId: account.id, kind: 'new', daysOfWeek: 1, partsOfDay: 1, modality: 'in_person', note: 'Only after my shift, nobody at home may know' })
      await declineRequest({ requestId: asked.id, message: declineMessage }, { kind: 'staff', id: (await createStaff('admin')).id, ip: null, userAgent: null })
      await collect('appointment_request_update', account.email)
      for (const message of received.get('appointment_request_update')!) {
        for (const secret of ['no mornings left', 'after my shift']) assert.notInclude(everything(message), secret)
      }

      // An earlier time with the provider (#22): the client waits, another client's cancellation frees one.
      const later = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ days: 30 }).startOf('hour') })
      await WaitlistEntry.create({ clientId: client.id, providerId: provider.id, appointmentId: later.id, clientUserId: account.id })
      const freed = await createAppointment(await createClient(), provider, { startsAt: DateTime.now().plus({ days: 3 }).startOf('hour') })
      await cancelAppointment({ appointmentId: freed.id, notLate: true }, SYSTEM_ACTOR)
      await runWaitlistPass()
      await collect('waitlist_offer', account.email)

      // Someone else's access ends: the client's own account is told (issue #20).
      const caregiver = await createPortalAccount(client, 'authorized_caregiver', { language })
      const caregiverLink = await ClientUserLink.query().where({ clientId: client.id, clientUserId: caregiver.id }).firstOrFail()
      await endPortalLink(caregiverLink.id, SYSTEM_ACTOR)
      await collect('access_notice', account.email)

      // Access turned off, last.
      await disablePortalAccount(account.id, SYSTEM_ACTOR)
      await collect('portal_access_disabled', account.email)

      assert.sameMembers([...received.keys()], CLIENT_TEMPLATES)
      const neutralName = language === 'es' ? 'Citas' : 'Appointments'
      for (const [template, messages] of received) {
        for (const message of messages) {
          const seen = everything(message)
          for (const secret of secrets) assert.notInclude(seen, secret, `${template} names "${secret}"`)
          assert.equal(message.subject, NEUTRAL_SUBJECTS[template][language], template)
          assert.match(message.from, new RegExp(`^"?${neutralName}"? <`), template)
          // Nothing that says what kind of care this is (the crisis line is left out too).
          assert.notMatch(readable(message), /988|crisis|therap|counsel/i, template)
        }
      }
      for (const message of [...received.get('appointment_reminder')!, ...received.get('appointment_notice')!]) {
        const ics = calendarOf(message)
        assert.include(ics, `SUMMARY:${language === 'es' ? 'Cita' : 'Appointment'}`)
        assert.notMatch(ics, /^(LOCATION|DESCRIPTION|ORGANIZER|X-WR-CALNAME)/m)
        assert.notInclude(ics, 'CareIncite')
      }
    })
  }

  test("the practice's discreet sender name is used when set, and a client without discreet mode keeps the usual mail", async ({ assert }) => {
    await PracticeSetting.query().where('id', 1).update({ senderName: 'Harbor Notices' })
    PracticeSetting.forget()
    const discreet = await discreetClient()
    const discreetAccount = await createPortalAccount(discreet.client, 'self')
    const plainClient = await createClient()
    await ClientPreference.updateOrCreate({ clientId: plainClient.id }, { consentDetailsInEmail: true })
    const plainProvider = await createStaff('clinician')
    await createAppointment(plainClient, plainProvider, { startsAt: DateTime.now().plus({ hours: 2 }).startOf('minute') })
    const plainAccount = await createPortalAccount(plainClient, 'self')

    await sendDueReminders()
    await deliverAll()
    const [hidden] = mailTo(discreetAccount.email)
    assert.match(hidden.from, /^"?Harbor Notices"? </)
    assert.equal(hidden.subject, 'Appointment reminder')
    for (const secret of discreet.secrets) assert.notInclude(everything(hidden), secret)

    const [plain] = mailTo(plainAccount.email)
    assert.equal(plain.subject, 'A reminder from Harbor Notices')
    assert.include(plain.text, plainProvider.name)
    assert.include(plain.text, '988')
    assert.include(calendarOf(plain), practice.name)
  })

  test("a guardian's account mail is discreet when the client they act for is", async ({ assert }) => {
    const { client, secrets } = await discreetClient()
    const guardian = await createPortalAccount(client, 'legal_guardian')
    await requestPasswordReset(portalResets, guardian.email, anonymous())
    await deliverAll()
    const [message] = mailTo(guardian.email)
    assert.equal(message.subject, 'Reset your password')
    for (const secret of secrets) assert.notInclude(everything(message), secret)
  })

  test('the staff notice of a client cancellation carries the day and time only', async ({ assert }) => {
    const { client, provider, secrets } = await discreetClient()
    // The client cancels a later session (ahead of the window) on the portal: the provider is told.
    const later = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ days: 4 }).startOf('minute') })
    const web = await signIn(await createPortalAccount(client, 'self'))
    await web.get(`/portal/appointments/${later.id}/confirm-or-cancel`)
    assert.equal((await web.post(`/portal/appointments/${later.id}/cancel`, {})).status, 200)
    await deliverAll()
    const [message] = mailTo(provider.email)
    assert.equal(message.subject, 'A client cancelled an appointment')
    for (const secret of [client.firstName, client.lastName, secrets[2], secrets[3]]) assert.notInclude(everything(message), secret)
    assert.lengthOf(message.attachments.filter((part) => part.contentType.startsWith('text/calendar')), 0)
  })
})
