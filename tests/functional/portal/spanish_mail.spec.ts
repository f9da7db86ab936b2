import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import ICAL from 'ical.js'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import ClientUser from '#models/client_user'
import MailMessage from '#models/mail_message'
import PortalInvitation from '#models/portal_invitation'
import { enqueueMail } from '#services/mail_queue'
import { requestEmailChange } from '#actions/sign_in_email/request_email_change'
import { disablePortalAccount } from '#actions/portal_accounts/disable_portal_account'
import { SYSTEM_ACTOR } from '#support/actor'
import { WebSession } from '#tests/helpers/web'
import { browserForm, withChanges } from '#tests/helpers/forms'
import { deliverAll, groupSmtpCapture, linksIn } from '#tests/helpers/mail'
import { runCommand } from '#tests/helpers/ace'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { NEW_PASSWORD, outboxLink, pathOf, uniqueEmail } from '#tests/helpers/onboarding'

/*
| Mail in its recipient's language (DESIGN §16), over real HTTP and a real
| SMTP server: an invitation in the language staff chose, and the account it
| makes; a Spanish-speaking account's password reset; the .ics in Spanish.
| The language is the recipient's, never the browser's that asked.
*/
const decode = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')

/** Staff's invite form as the browser sends it, with these fields changed. */
async function inviteThroughForm(changes: Record<string, string>) {
  const web = await signIn(await createStaff('ceo'))
  // Chosen as from the client's page ("Invite to the portal" links with the client's id).
  const page = await web.get(`/portal-settings?client=${changes.clientId}`)
  const response = await web.send(withChanges(browserForm(page.text, '/portal-settings/invitations'), changes))
  return { response, page: await web.follow(response), form: page.text }
}

test.group('Spanish mail: invitations', (group) => {
  const smtp = groupSmtpCapture(group)

  test('an invitation sent in Spanish arrives in Spanish, and the account it makes continues in Spanish', async ({ assert }) => {
    const client = await createClient({ dateOfBirth: DateTime.fromISO('1984-02-09') })
    const email = uniqueEmail('lucia')
    const { form, page } = await inviteThroughForm({ clientId: String(client.id), email, language: 'es' })
    // Each language named in itself, marked with its own language.
    assert.include(form, '<option value="es" lang="es">Español</option>')
    assert.include(decode(page.text), `The invitation is on its way to ${email}.`)

    const invitation = await PortalInvitation.findByOrFail('email', email)
    assert.equal(invitation.language, 'es')
    assert.equal((await MailMessage.findByOrFail('recipient', email)).locale, 'es')

    await deliverAll()
    await smtp.waitFor(() => smtp.to(email).length === 1)
    const [message] = smtp.to(email)
    assert.equal(message.subject, `Su invitación al portal del cliente de ${practice.name}`)
    assert.isTrue(message.text.startsWith(`Hola, ${client.displayFirstName}:\n\n`), message.text)
    assert.include(message.text, `${practice.name} le invita a usar su portal del cliente.`)
    assert.include(message.text, 'Cree su cuenta del portal:\n')
    assert.include(message.text, 'Este enlace funciona durante 72 horas.')
    assert.include(message.text, 'Este correo se envió automáticamente')
    assert.notInclude(message.text, 'Hello')
    assert.include(message.html, '<html lang="es">')
    assert.include(message.html, '>Cree su cuenta del portal</a>')
    assert.include(message.html, 'Si el botón no funciona, copie esta dirección en su navegador:')
    assert.notMatch(message.html, /This email|If the button|Hello/)

    // A browser that prefers English: the account still starts in the invitation's language.
    const link = linksIn(message).find((candidate) => candidate.includes('/portal/invitations/'))!
    const web = new WebSession()
    await web.get(pathOf(link), { 'accept-language': 'en-US,en;q=0.9' })
    const accepted = await web.post(pathOf(link), { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD }, { 'accept-language': 'en-US,en;q=0.9' })
    assert.equal(accepted.location, '/portal/onboarding/verify')
    const account = await ClientUser.findByOrFail('email', email)
    assert.equal(account.language, 'es')

    const next = await web.follow(accepted)
    assert.equal(next.status, 200)
    assert.include(next.text, '<html lang="es">')
    assert.include(next.text, 'Saltar al contenido principal')
  }).timeout(60_000)

  test('without a choice the invitation takes the client’s email language; resending keeps it', async ({ assert }) => {
    const spanish = await createClient({ emailLanguage: 'es' })
    const english = await createClient()
    const toSpanish = uniqueEmail('default-es')
    const toEnglish = uniqueEmail('default-en')
    await inviteThroughForm({ clientId: String(spanish.id), email: toSpanish })
    await inviteThroughForm({ clientId: String(english.id), email: toEnglish })

    const invitation = await PortalInvitation.findByOrFail('email', toSpanish)
    assert.equal(invitation.language, 'es')
    assert.equal((await PortalInvitation.findByOrFail('email', toEnglish)).language, 'en')

    const staffWeb = await signIn(await createStaff('ceo'))
    await staffWeb.get('/portal-settings')
    await staffWeb.post(`/portal-settings/invitations/${invitation.id}/resend`)
    await deliverAll()
    await smtp.waitFor(() => smtp.to(toSpanish).length === 2 && smtp.to(toEnglish).length === 1)
    for (const message of smtp.to(toSpanish)) assert.equal(message.subject, `Su invitación al portal del cliente de ${practice.name}`)
    const [englishMail] = smtp.to(toEnglish)
    assert.equal(englishMail.subject, `Your invitation to the ${practice.name} client portal`)
    assert.include(englishMail.html, '<html lang="en">')
    assert.include(englishMail.text, 'Set up your portal account:')
  }).timeout(60_000)

  test('a language that is not the portal’s is refused with a clear message', async ({ assert }) => {
    const client = await createClient()
    const email = uniqueEmail('klingon')
    const { page } = await inviteThroughForm({ clientId: String(client.id), email, language: 'tlh' })
    assert.include(page.text, '<p class="field-error" id="field-language-error">Please choose a language from the list.</p>')
    assert.isNull(await PortalInvitation.findBy('email', email))
  }).timeout(60_000)

  test('node ace portal:invite --language es', async ({ assert }) => {
    const client = await createClient()
    const email = uniqueEmail('operator-es')
    const result = await runCommand('portal:invite', ['--client', String(client.id), '--email', email, '--language', 'es'])
    assert.equal(result.code, 0, result.output)
    assert.equal((await PortalInvitation.findByOrFail('email', email)).language, 'es')
    assert.equal((await MailMessage.findByOrFail('recipient', email)).subject, `Su invitación al portal del cliente de ${practice.name}`)

    const refused = await runCommand('portal:invite', ['--client', String(client.id), '--email', uniqueEmail('x'), '--language', 'fr'])
    assert.equal(refused.code, 1, refused.output)
    assert.include(refused.output, '--language: Please choose a language from the list.')
  }).timeout(60_000)
})

test.group('Spanish mail: an account’s own language', (group) => {
  const smtp = groupSmtpCapture(group)

  test('a Spanish-speaking account’s password reset and "password changed" arrive in Spanish', async ({ assert }) => {
    const account = await createPortalAccount(await createClient(), 'self', { language: 'es' })
    const web = new WebSession()
    // The browser asks in English: the mail still goes in the account's language.
    await web.get('/portal/forgot-password', { 'accept-language': 'en' })
    await web.post('/portal/forgot-password', { email: account.email }, { 'accept-language': 'en' })
    const path = pathOf(await outboxLink('password_reset', account.email))

    await deliverAll()
    await smtp.waitFor(() => smtp.to(account.email).length === 1)
    const [reset] = smtp.to(account.email)
    assert.equal(reset.subject, `Restablezca su contraseña del portal de ${practice.name}`)
    assert.include(reset.text, 'Recibimos una solicitud para restablecer la contraseña de su cuenta del portal.')
    assert.include(reset.text, 'Elija una contraseña nueva:\n')
    assert.include(reset.text, 'Este enlace funciona una sola vez, durante 60 minutos.')
    assert.include(reset.html, '<html lang="es">')
    assert.include(reset.html, '>Elija una contraseña nueva</a>')
    assert.deepEqual(linksIn(reset).map(pathOf), [path])

    await web.get(path)
    const done = await web.post(path, { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
    assert.equal(done.status, 302)
    await deliverAll()
    await smtp.waitFor(() => smtp.to(account.email).length === 2)
    const changed = smtp.to(account.email)[1]
    assert.equal(changed.subject, `Se cambió su contraseña del portal de ${practice.name}`)
    assert.include(changed.text, 'Se acaba de cambiar la contraseña de su cuenta del portal.')
    assert.include(changed.text, `Si no fue usted, llámenos al ${practice.phone} y le ayudaremos a proteger su cuenta.`)
    assert.include(changed.html, '<html lang="es">')
  }).timeout(60_000)

  test('a change of sign-in email and turning access off are told in Spanish too', async ({ assert }) => {
    const account = await createPortalAccount(await createClient(), 'self', { language: 'es' })
    const newEmail = uniqueEmail('nuevo')
    await requestEmailChange(account, newEmail)
    await disablePortalAccount(account.id, SYSTEM_ACTOR)
    await deliverAll()
    await smtp.waitFor(() => smtp.to(newEmail).length === 1 && smtp.to(account.email).length === 2)

    const [confirm] = smtp.to(newEmail)
    assert.equal(confirm.subject, `Confirme su nuevo correo para iniciar sesión en el portal de ${practice.name}`)
    assert.include(confirm.html, '>Confirme esta dirección de correo</a>')
    assert.include(confirm.text, 'confírmela aquí:\n')
    // Delivered in parallel: told apart by subject.
    const bySubject = (subject: string) => smtp.to(account.email).find((message) => message.subject === subject)!
    const notice = bySubject(`Un cambio en su correo para iniciar sesión en el portal de ${practice.name}`)
    assert.include(notice.text, 'Alguien pidió cambiar el correo para iniciar sesión de su cuenta del portal a ')
    const disabled = bySubject(`Cambió su acceso al portal de ${practice.name}`)
    assert.include(disabled.text, `Se desactivó su acceso al portal del cliente de ${practice.name}.`)
    for (const message of [confirm, notice, disabled]) assert.include(message.html, '<html lang="es">')
  }).timeout(60_000)

  test('an English account gets English mail even from a Spanish browser', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    const web = new WebSession()
    await web.get('/portal/forgot-password', { 'accept-language': 'es' })
    await web.post('/portal/forgot-password', { email: account.email }, { 'accept-language': 'es' })
    await deliverAll()
    await smtp.waitFor(() => smtp.to(account.email).length === 1)
    const [reset] = smtp.to(account.email)
    assert.equal(reset.subject, `Reset your ${practice.name} portal password`)
    assert.match(reset.text, /^Hello,\n\nWe received a request to reset the password of your portal account\.\n/)
    assert.include(reset.html, '<html lang="en">')
  }).timeout(60_000)

  test('a mail’s language is one of the portal’s, in the code and in the database', async ({ assert }) => {
    const request = { template: 'test_message', to: uniqueEmail('locale'), subject: 'Hi', data: {} } as const
    await assert.rejects(() => enqueueMail({ ...request, locale: 'fr' as never }), /language/)
    await assert.rejects(() =>
      db.connection('machinery').rawQuery(
        `insert into mail_messages (template, recipient, subject, message_id, locale) values ('test_message', 'x@y.test', 'Hi', ?, 'fr')`,
        [`<${Date.now()}@locale.test>`]
      )
    )
    assert.equal((await enqueueMail(request)).locale, 'en')
  })
})

test.group('Spanish calendar file', () => {
  test('the .ics of a Spanish-speaking account is in Spanish and parses with the right times', async ({ assert }) => {
    const provider = await createStaff('clinician', { name: 'Dra. Calendario' })
    const client = await createClient()
    const startsAt = DateTime.fromISO('2026-11-02T15:00', { zone: 'America/Chicago' })
    const appointment = await createAppointment(client, provider, { startsAt, endsAt: startsAt.plus({ minutes: 50 }), isTelehealth: true })
    const web = await signIn(await createPortalAccount(client, 'self', { language: 'es' }))

    const response = await web.get(`/portal/appointments/${appointment.id}/calendar.ics`)
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-disposition')!, /^attachment; filename="?cita-2026-11-02\.ics/)
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(response.text)).getFirstSubcomponent('vevent')!)
    assert.equal(event.summary, 'Cita con Dra. Calendario')
    assert.equal(event.location, 'Por video (en línea)')
    assert.equal(event.startDate.toJSDate().getTime(), startsAt.toMillis())
    assert.equal(event.endDate.toJSDate().getTime(), startsAt.plus({ minutes: 50 }).toMillis())
    assert.include(response.text, '//Client Portal//ES')
  })
})
