import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ClientPreference from '#models/client_preference'
import ClientUser from '#models/client_user'
import PortalInvitation from '#models/portal_invitation'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { CONTACT_KINDS, mayContact, type ContactKind } from '#actions/contact/may_contact'
import { sendDueReminders } from '#actions/reminders/send_due_reminders'
import { sendAppointmentNotice } from '#actions/reminders/send_appointment_notice'
import { disablePortalAccount } from '#actions/portal_accounts/disable_portal_account'
import { requestPasswordReset } from '#actions/password_resets/request_password_reset'
import { portalResets } from '#actions/password_resets/reset_sides'
import { requestEmailChange } from '#actions/sign_in_email/request_email_change'
import { deliverAll, groupSmtpCapture } from '#tests/helpers/mail'
import { runCommand } from '#tests/helpers/ace'
import { signIn } from '#tests/helpers/sign_in'
import { browserForm, type BrowserForm } from '#tests/helpers/forms'
import { uniqueEmail } from '#tests/helpers/onboarding'
import { SYSTEM_ACTOR } from '#support/actor'
import type { WebSession } from '#tests/helpers/web'
import practice from '#config/practice'

/*
| Contact rules (issue #18 item 3, DESIGN §15): mayContact decides every
| outbound mail about a client. Each rule blocks its kinds, the reason is
| recorded and staff see it on the client record; account-security mail the
| holder asked for still goes. Staff see the rules at the top of the client
| record and of the client's appointment pages.
*/
const decode = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')

function withheldRows(clientId: number) {
  return db.connection('machinery').from('audit_events').where('client_id', clientId).whereLike('action', '%.contact.withheld').orderBy('id')
}

async function noEmailClient() {
  const client = await createClient()
  await ClientPreference.updateOrCreate({ clientId: client.id }, { consentEmail: false })
  return client
}

/** The form as a browser sends it, with fields set and boxes ticked (a value) or unticked (null). */
function withEntries(form: BrowserForm, changes: Record<string, string | null>): BrowserForm {
  const entries = form.entries.filter(([name]) => !(name in changes))
  for (const [name, value] of Object.entries(changes)) if (value !== null) entries.push([name, value])
  return { ...form, entries }
}

function titleOf(html: string) {
  return decode(html.match(/<title>([^<]*)<\/title>/)?.[1] ?? '')
}

test.group('mayContact: the rules of each kind', () => {
  test('no email consent refuses every client kind; inactive refuses the active-only ones; exempt kinds always go', ({ assert }) => {
    const noEmail = { status: 'active', preference: { consentEmail: false, discreetMode: false } }
    const inactive = { status: 'inactive', preference: { consentEmail: true, discreetMode: true } }
    const exempt: ContactKind[] = ['password_reset', 'password_changed', 'email_change_confirm', 'email_change_notice']
    for (const kind of Object.keys(CONTACT_KINDS) as ContactKind[]) {
      if (exempt.includes(kind)) {
        assert.deepEqual(mayContact(noEmail, kind), { allowed: true, discreet: false }, kind)
        assert.deepEqual(mayContact(inactive, kind), { allowed: true, discreet: true }, kind)
      } else {
        assert.deepEqual(mayContact(noEmail, kind), { allowed: false, reason: 'no_email_consent' }, kind)
      }
    }
    for (const kind of ['portal_invitation', 'reminder', 'appointment_notice'] as const) {
      assert.deepEqual(mayContact(inactive, kind), { allowed: false, reason: 'client_inactive' }, kind)
    }
    assert.deepEqual(mayContact({ status: 'active', preference: null }, 'reminder'), { allowed: true, discreet: false })
    assert.throws(() => mayContact({ status: 'active' }, 'texting' as ContactKind), /Unknown contact kind/)
  })
})

test.group('Contact rules: each rule blocks its mail and says why', (group) => {
  const smtp = groupSmtpCapture(group)

  test('no email: reminders and notices are not sent, and staff see why on the client record', async ({ assert }) => {
    const client = await noEmailClient()
    const account = await createPortalAccount(client, 'self')
    const provider = await createStaff('clinician')
    const appointment = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ hours: 2 }).startOf('minute') })

    await sendDueReminders()
    await sendAppointmentNotice({ appointmentId: appointment.id, kind: 'rescheduled' }, SYSTEM_ACTOR)
    await deliverAll()
    assert.lengthOf(smtp.to(account.email), 0)
    const reminder = await db.connection('machinery').from('appointment_reminders').where('appointment_id', appointment.id).first()
    assert.equal(reminder.skipped_reason, 'no_email_consent')

    const rows = await withheldRows(client.id)
    assert.deepEqual(rows.map((row) => [row.action, row.detail.kind, row.detail.reason, row.detail.appointmentId]), [
      ['system.contact.withheld', 'reminder', 'no_email_consent', appointment.id],
      ['system.contact.withheld', 'appointment_notice', 'no_email_consent', appointment.id],
    ])
    // Codes and ids only: never an address.
    assert.notInclude(JSON.stringify(rows.map((row) => row.detail)), '@')

    const web = await signIn(await createStaff('admin'))
    const page = decode((await web.get(`/clients/${client.id}`)).text)
    const withheld = page.split('id="withheld-messages"')[1]
    assert.include(withheld, 'Appointment reminder')
    assert.include(withheld, 'Appointment notice')
    assert.include(withheld, 'The client does not allow email')
  })

  test('no email: turning portal access off sends no notice and records why; password reset and email change still go', async ({ assert }) => {
    const client = await noEmailClient()
    const account = await createPortalAccount(client, 'self')

    await requestPasswordReset(portalResets, account.email, { kind: 'anonymous', id: null, ip: '198.51.100.77', userAgent: null })
    const newEmail = uniqueEmail('rules-new')
    await requestEmailChange(account, newEmail)
    await deliverAll()
    assert.deepEqual(smtp.to(account.email).map((message) => message.subject).sort(), [
      `A change of your ${practice.name} portal sign-in email`,
      `Reset your ${practice.name} portal password`,
    ])
    assert.lengthOf(smtp.to(newEmail), 1)

    const staff = await createStaff('admin')
    await disablePortalAccount(account.id, { kind: 'staff', id: staff.id, ip: null, userAgent: null })
    await deliverAll()
    assert.equal((await ClientUser.findOrFail(account.id)).status, 'disabled')
    assert.lengthOf(smtp.to(account.email), 2, 'no access notice')
    const rows = await withheldRows(client.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].action, 'staff.contact.withheld')
    assert.equal(rows[0].actor_id, staff.id)
    assert.deepEqual(rows[0].detail, { kind: 'portal_access_disabled', reason: 'no_email_consent', appointmentId: null })
  })

  test('no email: an invitation is refused next to the field in Portal Settings, and portal:invite exits non-zero', async ({ assert }) => {
    const client = await noEmailClient()
    const web = await signIn(await createStaff('ceo'))
    await web.get('/portal-settings')
    const response = await web.post('/portal-settings/invitations', {
      clientId: String(client.id),
      relationship: 'self',
      recipientName: '',
      email: uniqueEmail('refused'),
    })
    assert.equal(response.location, '/portal-settings#invite')
    const page = decode((await web.follow(response)).text)
    assert.include(page, 'contact rules say not to email, so no invitation was sent')
    assert.include(page, 'id="field-email-error"')
    assert.lengthOf(await PortalInvitation.query().where('clientId', client.id), 0)

    const result = await runCommand('portal:invite', ['--client', String(client.id), '--email', uniqueEmail('refused-cli')])
    assert.equal(result.code, 1, result.output)
    assert.include(result.output, 'contact rules say not to email')
    assert.include(result.output, 'Nothing was sent.')
    assert.lengthOf(await PortalInvitation.query().where('clientId', client.id), 0)
    assert.lengthOf(await db.connection('machinery').from('mail_messages').where({ client_id: client.id, template: 'portal_invitation' }), 0)
  }).timeout(60_000)

  test('an open invitation is not resent once email is forbidden', async ({ assert }) => {
    const client = await createClient()
    const web = await signIn(await createStaff('ceo'))
    await web.get('/portal-settings')
    await web.post('/portal-settings/invitations', { clientId: String(client.id), relationship: 'self', recipientName: '', email: uniqueEmail('resend') })
    const invitation = await PortalInvitation.findByOrFail('clientId', client.id)
    await ClientPreference.query().where('clientId', client.id).update({ consentEmail: false })
    await web.get('/portal-settings')
    const page = decode((await web.follow(await web.post(`/portal-settings/invitations/${invitation.id}/resend`, {}))).text)
    assert.include(page, 'contact rules say not to email')
    assert.equal((await PortalInvitation.findOrFail(invitation.id)).sentCount, 1)
  })
})

test.group('Contact rules: what staff see and edit', () => {
  const actionOf = (clientId: number) => `/clients/${clientId}/contact-rules`

  async function editRules(web: WebSession, clientId: number, changes: Record<string, string | null>) {
    const form = browserForm((await web.get(`/clients/${clientId}`)).text, actionOf(clientId))
    return web.send(withEntries(form, changes))
  }

  test('staff set voicemail, discreet mode and a note; the banner shows them on the record and every appointment page', async ({ assert }) => {
    const client = await createClient()
    const provider = await createStaff('clinician')
    const appointment = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ days: 3 }).startOf('minute') })
    const admin = await createStaff('admin')
    const web = await signIn(admin)

    // Nothing restricts yet: no banner.
    assert.notInclude((await web.get(`/clients/${client.id}`)).text, 'id="contact-rules-banner"')

    const response = await editRules(web, client.id, {
      voicemailAllowed: null,
      discreetMode: '1',
      consentEmail: null,
      consentSms: null,
      contactNote: '  Mobile only, never the home number.  ',
    })
    assert.equal(response.location, `/clients/${client.id}#contact-rules`)
    const saved = await ClientPreference.findOrFail(client.id)
    assert.isFalse(saved.voicemailAllowed)
    assert.isTrue(saved.discreetMode)
    assert.equal(saved.contactNote, 'Mobile only, never the home number.')
    const audit = await db.from('audit_events').where({ action: 'staff.client.contact_rules_updated', client_id: client.id }).first()
    assert.includeMembers(String(audit.detail.fields).split(','), ['voicemailAllowed', 'discreetMode', 'contactNote'])
    assert.notInclude(JSON.stringify(audit.detail), 'Mobile only')

    // The record, its appointment page and the reschedule page, for the admin and the provider.
    const clinicianWeb = await signIn(provider)
    for (const [who, session] of [['admin', web], ['clinician', clinicianWeb]] as const) {
      for (const path of [`/clients/${client.id}`, `/appointments/${appointment.id}`, `/appointments/${appointment.id}/edit`]) {
        if (who === 'clinician' && path === `/clients/${client.id}`) continue
        const page = await session.get(path)
        assert.equal(page.status, 200, `${who} ${path}`)
        const banner = decode(page.text.split('id="contact-rules-banner"')[1]?.split('</section>')[0] ?? '')
        assert.include(banner, 'Do not leave voicemail', `${who} ${path}`)
        assert.include(banner, 'No email')
        assert.include(banner, 'No texts')
        assert.include(banner, 'Discreet mode')
        assert.include(banner, 'Mobile only, never the home number.')
        // At the top: before the page's first section.
        assert.isBelow(page.text.indexOf('id="contact-rules-banner"'), page.text.indexOf('<section class="card"') === -1 ? Infinity : page.text.indexOf('<section class="card"'))
      }
    }

    // An emptied note is removed; the boxes come back as they were saved.
    await editRules(web, client.id, { contactNote: '' })
    assert.isNull((await ClientPreference.findOrFail(client.id)).contactNote)
    const form = browserForm((await web.get(`/clients/${client.id}`)).text, actionOf(client.id))
    assert.deepInclude(form.entries, ['discreetMode', '1'])
    assert.notDeepInclude(form.entries, ['voicemailAllowed', '1'])
  })

  test('a note over 500 characters is refused next to its field; nothing changes', async ({ assert }) => {
    const client = await createClient()
    const web = await signIn(await createStaff('admin'))
    const response = await editRules(web, client.id, { contactNote: 'x'.repeat(501), discreetMode: '1' })
    const page = await web.follow(response)
    assert.include(page.text, 'Please keep the note to 500 characters or fewer.')
    assert.include(page.text, 'id="contact-rules-contactNote-error"')
    const saved = await ClientPreference.findOrFail(client.id)
    assert.isNull(saved.contactNote)
    assert.isFalse(saved.discreetMode)
  })
})

test.group('Discreet mode in the portal', () => {
  async function signedIn(language: 'en' | 'es' = 'en') {
    const client = await createClient()
    const account = await createPortalAccount(client, 'self', { language })
    return { client, account, web: await signIn(account) }
  }

  async function savePreferences(web: WebSession, changes: Record<string, string | null>) {
    const page = await web.get('/portal/account')
    const form = browserForm(page.text, '/portal/account/preferences')
    const response = await web.send(withEntries(form, changes))
    return { response, page: await web.follow(response) }
  }

  for (const language of ['en', 'es'] as const) {
    test(`the client turns discreet mode on and off in Account (${language}); tab titles follow`, async ({ assert }) => {
      const { client, account, web } = await signedIn(language)
      const before = await web.get('/portal/appointments')
      assert.include(titleOf(before.text), practice.name)

      const account_ = await web.get('/portal/account')
      assert.include(decode(account_.text), language === 'es' ? 'Modo discreto' : 'Discreet mode')
      assert.include(decode(account_.text), language === 'es' ? 'Usar el modo discreto en los correos sobre mí' : 'Use discreet mode for emails about me')

      const on = await savePreferences(web, { discreetMode: '1' })
      assert.equal(on.response.location, '/portal/account')
      assert.isTrue((await ClientPreference.findOrFail(client.id)).discreetMode)
      assert.match(on.page.text, /id="preferences-discreetMode"[^>]*checked/)
      for (const path of ['/portal', '/portal/appointments', '/portal/resources', '/portal/account']) {
        const page = await web.get(path)
        assert.notInclude(titleOf(page.text), practice.name, path)
        assert.notInclude(titleOf(page.text), '·', path)
      }
      const event = await db.from('audit_events').where({ action: 'portal.profile.updated', actor_id: account.id }).orderBy('id', 'desc').first()
      assert.deepEqual(event.detail, { section: 'preferences', discreetMode: true })

      // Unticked: off again.
      await savePreferences(web, { discreetMode: null })
      assert.isFalse((await ClientPreference.findOrFail(client.id)).discreetMode)
      assert.include(titleOf((await web.get('/portal/appointments')).text), practice.name)
    })
  }

  test("a guardian acting for a discreet client sees neutral titles and a plain calendar file; the note stays staff's", async ({ assert }) => {
    const client = await createClient({ dateOfBirth: DateTime.now().minus({ years: 10 }) })
    await ClientPreference.updateOrCreate({ clientId: client.id }, { discreetMode: true, consentDetailsInEmail: true, contactNote: 'Staff-only note 7731' })
    const provider = await createStaff('clinician')
    const appointment = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ days: 2 }).startOf('minute') })
    const guardian = await createPortalAccount(client, 'legal_guardian')
    const web = await signIn(guardian)
    const page = await web.get(`/portal/appointments/${appointment.id}`)
    assert.equal(page.status, 200)
    assert.notInclude(titleOf(page.text), practice.name)
    assert.notInclude((await web.get('/portal/account')).text, 'Staff-only note 7731')

    const ics = await web.get(`/portal/appointments/${appointment.id}/calendar.ics`)
    assert.equal(ics.status, 200)
    assert.include(ics.text, 'SUMMARY:Appointment')
    for (const secret of [practice.name, provider.name, 'CareIncite']) assert.notInclude(ics.text, secret)
    assert.notMatch(ics.text, /^(LOCATION|DESCRIPTION|ORGANIZER)/m)
  })
})
