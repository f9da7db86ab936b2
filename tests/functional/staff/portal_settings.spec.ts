import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import ClientUserLink from '#models/client_user_link'
import MailMessage from '#models/mail_message'
import PortalInvitation from '#models/portal_invitation'
import { enqueueMail } from '#services/mail_queue'
import { WebSession } from '#tests/helpers/web'
import { PASSWORD, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { acceptOverHttp, auditRows, invite, outboxLink, pathOf, uniqueEmail } from '#tests/helpers/onboarding'

/*
| Portal Settings over real HTTP: who may open it, the invite form's rules,
| resend, revoke, disabling accounts, ending links, figures and failed mail.
*/
const decode = (html: string) =>
  html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&#x2019;|&rsquo;/g, '’')

/** Posts a form from the Portal Settings page (fresh CSRF token), following the redirect back. */
async function postFromSettings(web: WebSession, path: string, form: Record<string, string> = {}) {
  await web.get('/portal-settings')
  const response = await web.post(path, form)
  return { response, page: await web.follow(response) }
}

/** The table row of one record on the page. */
function rowOf(html: string, attribute: string, id: number) {
  const after = html.split(`${attribute}="${id}"`)[1]
  if (after === undefined) throw new Error(`No row ${attribute}=${id} on the page`)
  return after.split('</tr>')[0]
}

test.group('Portal Settings: who may open it', () => {
  test('support staff and clinicians get the calm 403, for the page and every action', async ({ assert }) => {
    const invitation = (await invite(await createClient())).invitation
    for (const role of ['support_staff', 'clinician'] as const) {
      const web = await signIn(await createStaff(role))
      const page = await web.get('/portal-settings')
      assert.equal(page.status, 403, role)
      assert.include(page.text, 'This page is not available to you')
      assert.notInclude(page.text, invitation.email)

      await web.get('/dashboard')
      for (const path of [
        '/portal-settings/invitations',
        `/portal-settings/invitations/${invitation.id}/revoke`,
        `/portal-settings/invitations/${invitation.id}/resend`,
      ]) {
        const response = await web.post(path, { clientId: '1', relationship: 'self', email: uniqueEmail('x') })
        assert.equal(response.status, 403, `${role} ${path}`)
      }
      // The sidebar does not offer it either.
      assert.notInclude((await web.get('/dashboard')).text, 'href="/portal-settings"')
    }
    assert.isNull((await PortalInvitation.findOrFail(invitation.id)).revokedAt)
  })

  test('ceo and admin open it: one h1, the figures, the lists and the sidebar entry', async ({ assert }) => {
    for (const role of ['ceo', 'admin'] as const) {
      const web = await signIn(await createStaff(role))
      const page = await web.get('/portal-settings')
      assert.equal(page.status, 200, role)
      assert.lengthOf(page.text.match(/<h1[ >]/g) ?? [], 1)
      assert.include(page.text, 'Invite someone to the portal')
      assert.include(page.text, 'href="/portal-settings"')
      assert.include(page.text, "name='_csrf'")
    }
  })

  test('the figures are the database counts', async ({ assert }) => {
    const client = await createClient()
    await createPortalAccount(client, 'self', { lastSignInAt: DateTime.now().minus({ days: 2 }) })
    await invite(await createClient())
    const page = await (await signIn(await createStaff('ceo'))).get('/portal-settings')
    const figure = (name: string) => Number(page.text.match(new RegExp(`data-figure="${name}">(\\d+)<`))![1])

    const machinery = db.connection('machinery')
    const count = async (query: any) => Number((await query.count('* as n'))[0].n)
    assert.equal(figure('invited'), await count(machinery.from('portal_invitations').whereNull('revoked_at')))
    assert.equal(
      figure('accepted'),
      await count(machinery.from('portal_invitations').whereNull('revoked_at').whereNotNull('accepted_at'))
    )
    assert.equal(figure('active'), await count(machinery.from('client_users').where('status', 'active')))
    const recent = await count(
      machinery
        .from('client_users')
        .whereNot('status', 'disabled')
        .where('last_sign_in_at', '>=', DateTime.now().minus({ days: 30 }).toSQL()!)
    )
    assert.equal(figure('recent'), recent)
    assert.isAtLeast(recent, 1)
  })
})

test.group('Portal Settings: the invite form', () => {
  test('refuses an inactive client, a client without a date of birth, and an email that already holds the client', async ({ assert }) => {
    const web = await signIn(await createStaff('admin'))
    const inactive = await createClient({ status: 'inactive' })
    const noBirthDate = await createClient({ dateOfBirth: null })
    const linked = await createClient()
    const holder = await createPortalAccount(linked)

    const cases = [
      { clientId: inactive.id, email: uniqueEmail('inactive'), field: 'clientId', expect: 'is not an active client' },
      { clientId: noBirthDate.id, email: uniqueEmail('nodob'), field: 'clientId', expect: 'has no date of birth on file' },
      { clientId: linked.id, email: holder.email.toUpperCase(), field: 'email', expect: 'This email already has portal access for' },
    ]
    for (const { clientId, email, field, expect } of cases) {
      const { response, page } = await postFromSettings(web, '/portal-settings/invitations', {
        clientId: String(clientId),
        relationship: 'self',
        recipientName: '',
        email,
      })
      assert.equal(response.location, '/portal-settings#invite')
      assert.include(decode(page.text), expect)
      assert.include(page.text, 'class="error-summary"')
      assert.include(page.text, `id="field-${field}-error"`)
      assert.lengthOf(await PortalInvitation.query().where('clientId', clientId), 0)
    }
  })

  test('asks for consent for an authorized caregiver, a name for a guardian, and refuses a parent link for an adult', async ({ assert }) => {
    const web = await signIn(await createStaff('ceo'))
    const adult = await createClient({ dateOfBirth: DateTime.fromISO('1980-01-01') })
    const child = await createClient({ dateOfBirth: DateTime.now().minus({ years: 9 }) })
    const form = (overrides: Record<string, string>) => ({
      clientId: String(adult.id),
      relationship: 'authorized_caregiver',
      recipientName: 'Casey Caregiver',
      email: uniqueEmail('caregiver'),
      ...overrides,
    })

    const noConsent = await postFromSettings(web, '/portal-settings/invitations', form({}))
    assert.include(decode(noConsent.page.text), 'can only be invited with the client’s consent')
    assert.include(noConsent.page.text, 'id="field-consent-error"')

    const parentOfAdult = await postFromSettings(web, '/portal-settings/invitations', form({ relationship: 'parent' }))
    assert.include(parentOfAdult.page.text, 'is 18 or older, so a parent link would not work')

    const nameless = await postFromSettings(
      web,
      '/portal-settings/invitations',
      form({ clientId: String(child.id), relationship: 'parent', recipientName: '' })
    )
    assert.include(nameless.page.text, 'Please enter the name of the person you are inviting.')

    const badInput = await postFromSettings(web, '/portal-settings/invitations', form({ relationship: 'boss', email: 'nope' }))
    assert.include(badInput.page.text, 'Please choose one of')
    assert.include(badInput.page.text, 'Please enter an email address like name@example.com.')
    assert.lengthOf(await PortalInvitation.query().whereIn('clientId', [adult.id, child.id]), 0)

    const withConsent = await postFromSettings(web, '/portal-settings/invitations', form({ consent: '1' }))
    assert.include(withConsent.page.text, 'The invitation is on its way')
    const invitation = await PortalInvitation.findByOrFail('clientId', adult.id)
    assert.equal(invitation.relationship, 'authorized_caregiver')
    assert.equal(invitation.recipientName, 'Casey Caregiver')
    const mail = await MailMessage.query().where({ template: 'portal_invitation', recipient: invitation.email }).firstOrFail()
    assert.equal(mail.clientId, adult.id)
    assert.equal(mail.data.recipientName, 'Casey Caregiver')
    assert.equal(mail.data.expiresInHours, 72)
  })

  test('a second invitation while one is open is refused; the form keeps a preselected client', async ({ assert }) => {
    const web = await signIn(await createStaff('admin'))
    const client = await createClient()
    const { email } = await invite(client)
    const again = await postFromSettings(web, '/portal-settings/invitations', {
      clientId: String(client.id),
      relationship: 'self',
      email,
    })
    assert.include(again.page.text, 'is still open. You can resend it')
    const preselected = await web.get(`/portal-settings?client=${client.id}`)
    assert.include(preselected.text, `name="clientId" value="${client.id}" checked>`)
  })
})

test.group('Portal Settings: resend and revoke', () => {
  test('resend makes a new link, kills the old one, resets the attempts and renews the expiry', async ({ assert }) => {
    const admin = await createStaff('admin')
    const web = await signIn(admin)
    const { invitation, path: oldPath, email } = await invite(await createClient())
    await PortalInvitation.query()
      .where('id', invitation.id)
      .update({ verifyAttempts: 3, expiresAt: DateTime.now().plus({ hours: 1 }).toSQL() })

    const { response, page } = await postFromSettings(web, `/portal-settings/invitations/${invitation.id}/resend`)
    assert.equal(response.location, '/portal-settings#invitations')
    assert.include(page.text, 'The earlier link no longer works.')

    await invitation.refresh()
    assert.equal(invitation.sentCount, 2)
    assert.equal(invitation.verifyAttempts, 0)
    assert.closeTo(invitation.expiresAt.diff(DateTime.now(), 'hours').hours, 72, 0.1)
    const newPath = pathOf(await outboxLink('portal_invitation', email))
    assert.notEqual(newPath, oldPath)

    assert.equal((await new WebSession().get(oldPath)).status, 404)
    assert.equal((await new WebSession().get(newPath)).status, 200)
    const [event] = await auditRows('staff.invitation.resent', { actor_id: admin.id })
    assert.deepEqual(event.detail, { invitationId: invitation.id })
  })

  test('resending a locked invitation lets the person try again with the new link', async ({ assert }) => {
    const web = await signIn(await createStaff('ceo'))
    const client = await createClient({ dateOfBirth: DateTime.fromISO('1975-03-14') })
    const { invitation, path, email } = await invite(client)
    const person = await acceptOverHttp(path)
    await PortalInvitation.query()
      .where('id', invitation.id)
      .update({ verifyAttempts: 5, lockedAt: DateTime.now().toSQL() })
    assert.include((await person.web.get('/portal/onboarding/verify')).text, 'Please call the practice')

    await postFromSettings(web, `/portal-settings/invitations/${invitation.id}/resend`)
    await invitation.refresh()
    assert.equal(invitation.status, 'pending')

    // Signed in already: the new link adds nothing new, it reopens the identity check.
    const newPath = pathOf(await outboxLink('portal_invitation', email))
    await person.web.get(newPath)
    const reopened = await person.web.post(newPath, {})
    assert.equal(reopened.location, '/portal/onboarding')
    await person.web.get('/portal/onboarding/verify')
    const verified = await person.web.post('/portal/onboarding/verify', { month: '3', day: '14', year: '1975' })
    assert.equal(verified.location, '/portal/onboarding/profile')
    assert.lengthOf(await ClientUserLink.query().where('clientId', client.id), 1)
  })

  test('revoke kills the link and shows the invitation as revoked', async ({ assert }) => {
    const ceo = await createStaff('ceo')
    const web = await signIn(ceo)
    const { invitation, path } = await invite(await createClient())

    const { page } = await postFromSettings(web, `/portal-settings/invitations/${invitation.id}/revoke`)
    assert.include(page.text, 'The invitation is revoked.')
    assert.include(rowOf(page.text, 'data-invitation', invitation.id), 'data-status="revoked"')
    assert.notInclude(rowOf(page.text, 'data-invitation', invitation.id), '/revoke')
    assert.equal((await new WebSession().get(path)).status, 404)
    assert.lengthOf(await auditRows('staff.invitation.revoked', { actor_id: ceo.id }), 1)

    const twice = await postFromSettings(web, `/portal-settings/invitations/${invitation.id}/revoke`)
    assert.include(twice.page.text, 'cannot be revoked')
  })
})

test.group('Portal Settings: accounts and links', () => {
  test('disable ends the open session and queues the notice; re-enable lets the account back in', async ({ assert }) => {
    const admin = await createStaff('admin')
    const web = await signIn(admin)
    const client = await createClient()
    const account = await createPortalAccount(client)
    const portal = await signIn(account)
    assert.equal((await portal.get('/portal')).status, 200)

    const { page } = await postFromSettings(web, `/portal-settings/accounts/${account.id}/disable`)
    assert.include(page.text, 'any open session of it has ended')
    assert.include(rowOf(page.text, 'data-account', account.id), 'data-status="disabled"')

    const after = await portal.get('/portal')
    assert.equal(after.location, '/portal/login')
    await account.refresh()
    assert.equal(account.status, 'disabled')
    const notice = await MailMessage.query().where({ template: 'portal_access_disabled', recipient: account.email })
    assert.lengthOf(notice, 1)
    const [event] = await auditRows('staff.portal_account.disabled', { actor_id: admin.id })
    assert.deepEqual(event.detail, { accountId: account.id })

    const fresh = new WebSession()
    await fresh.get('/portal/login')
    assert.equal((await fresh.post('/portal/login', { email: account.email, password: PASSWORD })).location, '/portal/login')

    const enabled = await postFromSettings(web, `/portal-settings/accounts/${account.id}/enable`)
    assert.include(enabled.page.text, 'can sign in again')
    await account.refresh()
    assert.equal(account.status, 'active')
    assert.lengthOf(await auditRows('staff.portal_account.enabled', { actor_id: admin.id }), 1)
    await signIn(account)
  })

  test('ending a link removes that client from the account on its next request', async ({ assert }) => {
    const ceo = await createStaff('ceo')
    const web = await signIn(ceo)
    const client = await createClient()
    const account = await createPortalAccount(client, 'legal_guardian')
    const portal = await signIn(account)
    const link = await ClientUserLink.findByOrFail('clientUserId', account.id)

    const before = await web.get('/portal-settings')
    assert.include(rowOf(before.text, 'data-account', account.id), 'Legal guardian')
    const { page } = await postFromSettings(web, `/portal-settings/links/${link.id}/end`)
    assert.include(page.text, 'The link has ended.')
    assert.include(rowOf(page.text, 'data-account', account.id), 'ended')

    await link.refresh()
    assert.isNotNull(link.endedAt)
    const ended = await portal.get('/portal')
    assert.equal(ended.status, 403)
    assert.include(ended.text, 'Your portal access has changed')
    const [event] = await auditRows('staff.portal_link.ended', { actor_id: ceo.id })
    // And what became of the client's access notice (issue #20): queued, or why not.
    assert.containsSubset(event.detail, { linkId: link.id, accountId: account.id })
    assert.property(event.detail, 'notice')
    assert.equal(event.client_id, client.id)
  })

  test('failed emails are listed with a retry button that queues them again', async ({ assert }) => {
    const web = await signIn(await createStaff('admin'))
    const queued = await enqueueMail({
      template: 'password_changed',
      to: uniqueEmail('failed'),
      subject: 'Your password was changed',
      data: {},
    })
    await db
      .connection('machinery')
      .from('mail_messages')
      .where('id', queued.id)
      .update({ status: 'failed', attempts: 8, last_error: 'Error ECONNREFUSED: connect failed' })

    const page = await web.get('/portal-settings')
    assert.include(rowOf(page.text, 'data-mail', queued.id), 'ECONNREFUSED')
    const { page: after } = await postFromSettings(web, `/portal-settings/mail/${queued.id}/retry`)
    assert.include(after.text, 'back in the queue')
    assert.notInclude(after.text, `data-mail="${queued.id}"`)
    const retried = await MailMessage.findOrFail(queued.id)
    assert.equal(retried.status, 'queued')
    assert.equal(retried.attempts, 0)
  })
})
