import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import Client from '#models/client'
import ClientUser from '#models/client_user'
import ClientUserLink from '#models/client_user_link'
import EmergencyContact from '#models/emergency_contact'
import PortalInvitation from '#models/portal_invitation'
import { revokeInvitation } from '#actions/invitations/revoke_invitation'
import { SYSTEM_ACTOR } from '#support/actor'
import { COMMON_PASSWORD_MESSAGE } from '#validators/password'
import { WebSession, withoutCsrf } from '#tests/helpers/web'
import { deliverAll, groupSmtpCapture, linksIn } from '#tests/helpers/mail'
import { PASSWORD, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import {
  NEW_PASSWORD,
  acceptOverHttp,
  auditRows,
  dateParts,
  invite,
  pathOf,
  profileForm,
  uniqueEmail,
} from '#tests/helpers/onboarding'

/*
| The invitation's life over real HTTP on real PostgreSQL, with the mail
| going through a real SMTP server: invite, open the link, set a password,
| confirm the date of birth, complete the profile.
*/
const decode = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

test.group('Portal invitations: from the email to the portal home', (group) => {
  const smtp = groupSmtpCapture(group)

  test('a ceo invites a client; the emailed link leads through onboarding to the portal', async ({ assert }) => {
    const ceo = await createStaff('ceo')
    const client = await createClient({ dateOfBirth: DateTime.fromISO('1988-07-03') })
    const email = uniqueEmail('alex')
    const staffWeb = await signIn(ceo)

    await staffWeb.get('/portal-settings')
    const sent = await staffWeb.post('/portal-settings/invitations', {
      clientId: String(client.id),
      relationship: 'self',
      recipientName: '',
      email: email.toUpperCase(),
    })
    assert.equal(sent.status, 302)
    assert.include(decode((await staffWeb.follow(sent)).text), `The invitation is on its way to ${email.toLowerCase()}.`)

    const invitation = await PortalInvitation.findByOrFail('email', email.toLowerCase())
    assert.equal(invitation.clientId, client.id)
    assert.equal(invitation.sentById, ceo.id)
    assert.match(invitation.tokenHash, /^[0-9a-f]{64}$/)
    assert.closeTo(invitation.expiresAt.diff(DateTime.now(), 'hours').hours, 72, 0.1)

    // The email really leaves through SMTP, and carries the only copy of the token.
    await deliverAll()
    const [message] = await smtp.waitFor(() => smtp.to(email).length === 1).then(() => smtp.to(email))
    const link = linksIn(message).find((candidate) => candidate.includes('/portal/invitations/'))!
    assert.exists(link)
    const token = pathOf(link).split('/').pop()!
    assert.match(token, /^[A-Za-z0-9_-]{43}$/) // 32 random bytes, base64url
    assert.equal(invitation.tokenHash, sha256(token))
    const stored = await db.connection('machinery').from('portal_invitations').where('id', invitation.id).first()
    assert.notInclude(JSON.stringify(stored), token)

    // Opening the link (twice: mail scanners prefetch) spends nothing.
    const web = new WebSession()
    for (let i = 0; i < 2; i++) {
      const page = await web.get(pathOf(link))
      assert.equal(page.status, 200)
      assert.include(page.text, 'Choose a password')
    }
    assert.isNull((await PortalInvitation.findOrFail(invitation.id)).acceptedAt)

    const accepted = await web.post(pathOf(link), { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
    assert.equal(accepted.location, '/portal/onboarding/verify')
    const account = await ClientUser.findByOrFail('email', email.toLowerCase())
    assert.equal(account.status, 'onboarding')
    assert.equal(account.displayName, client.displayFirstName)
    assert.notEqual(account.password, NEW_PASSWORD)
    const link_ = await ClientUserLink.findByOrFail('clientUserId', account.id)
    assert.equal(link_.clientId, client.id)
    assert.equal(link_.relationship, 'self')
    assert.isNull(link_.verifiedAt)

    // Protected pages wait until onboarding is done.
    assert.equal((await web.get('/portal')).location, '/portal/onboarding')

    const verifyPage = await web.get('/portal/onboarding/verify')
    assert.include(decode(verifyPage.text), 'Confirm your date of birth')
    const verified = await web.post('/portal/onboarding/verify', dateParts('1988-07-03'))
    assert.equal(verified.location, '/portal/onboarding/profile')

    const profilePage = await web.get('/portal/onboarding/profile')
    assert.equal(profilePage.status, 200)
    assert.include(profilePage.text, 'Emergency contact')
    // The portal sends no texts, so it does not ask about them; what staff recorded stays.
    assert.notInclude(profilePage.text, 'consentSms')
    await db.from('client_preferences').where('client_id', client.id).update({ consent_sms: true })
    const done = await web.post('/portal/onboarding/profile', profileForm({ consentSms: '' }))
    assert.equal(done.location, '/portal')
    const home = await web.follow(done)
    assert.equal(home.status, 200)
    assert.include(home.text, `Hello, ${account.displayName}`)
    assert.include(home.text, 'Your portal is ready.')

    await account.refresh()
    assert.equal(account.status, 'active')
    await link_.refresh()
    assert.isNotNull(link_.verifiedAt)
    await invitation.refresh()
    assert.equal(invitation.status, 'accepted')
    assert.isNotNull(invitation.verifiedAt)
    assert.equal(invitation.acceptedById, account.id)

    const saved = await Client.findOrFail(client.id)
    assert.equal(saved.phone, '+12133734253')
    assert.isTrue((await db.from('client_preferences').where('client_id', client.id).first()).consent_sms)
    assert.equal(saved.city, 'Springfield')
    const contacts = await EmergencyContact.query().where('clientId', client.id)
    assert.lengthOf(contacts, 1)
    assert.equal(contacts[0].name, 'Robin Contact')

    for (const action of ['portal.invitation.accepted', 'portal.identity.verified', 'portal.onboarding.completed']) {
      const rows = await auditRows(action, { actor_id: account.id, client_id: client.id })
      assert.lengthOf(rows, 1, action)
    }
    const [sentEvent] = await auditRows('staff.invitation.sent', { actor_id: ceo.id })
    assert.deepEqual(sentEvent.detail, { invitationId: invitation.id })
    // No email, name or date of birth in any audit detail of this flow.
    const details = await db
      .connection('machinery')
      .from('audit_events')
      .where('client_id', client.id)
      .select('detail')
    const text = JSON.stringify(details)
    for (const secret of [email.toLowerCase(), client.firstName, '1988']) assert.notInclude(text, secret)

    // The link is spent.
    const again = await new WebSession().get(pathOf(link))
    assert.equal(again.status, 404)
    assert.include(again.text, 'This link no longer works')
  }).timeout(60_000)
})

test.group('Portal invitations: the link', () => {
  test('two password submissions at once make exactly one account', async ({ assert }) => {
    const client = await createClient()
    const { path, email } = await invite(client)
    const first = new WebSession()
    const second = new WebSession()
    await Promise.all([first.get(path), second.get(path)])

    const responses = await Promise.all(
      [first, second].map((web) =>
        web.post(path, { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
      )
    )
    const winners = responses.filter((response) => response.location === '/portal/onboarding/verify')
    assert.lengthOf(winners, 1)
    const accounts = await ClientUser.query().where('email', email)
    assert.lengthOf(accounts, 1)
    assert.lengthOf(await ClientUserLink.query().where('clientUserId', accounts[0].id), 1)
    assert.lengthOf(await auditRows('portal.invitation.accepted', { actor_id: accounts[0].id }), 1)
  }).timeout(30_000)

  test('expired, revoked, used and unknown links all show the same page', async ({ assert }) => {
    const expired = await invite(await createClient())
    await PortalInvitation.query().where('id', expired.invitation.id).update({ expiresAt: DateTime.now().minus({ minutes: 1 }).toSQL() })
    const revoked = await invite(await createClient())
    await revokeInvitation(revoked.invitation.id, SYSTEM_ACTOR)
    const used = await invite(await createClient())
    assert.equal((await acceptOverHttp(used.path)).response.location, '/portal/onboarding/verify')
    const unknown = `/portal/invitations/${randomBytes(32).toString('base64url')}`

    const pages: string[] = []
    for (const path of [expired.path, revoked.path, used.path, unknown]) {
      const web = new WebSession()
      const shown = await web.get(path)
      assert.equal(shown.status, 404, path)
      await web.get('/portal/login') // a CSRF token, as if the form had been open before the link stopped working
      const posted = await web.post(path, { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
      assert.equal(posted.status, 404, path)
      pages.push(withoutCsrf(shown.text), withoutCsrf(posted.text))
    }
    assert.include(pages[0], 'This link no longer works')
    assert.include(pages[0], '(555) 000-0000')
    for (const page of pages) assert.equal(page, pages[0])

    // Nothing was spent or created by those posts.
    assert.isNull((await PortalInvitation.findOrFail(expired.invitation.id)).acceptedAt)
    assert.isNull(await ClientUser.findBy('email', revoked.email))
  }).timeout(30_000)

  test('a common or short password is refused with a clear message, and the link stays unspent', async ({ assert }) => {
    const { path, invitation } = await invite(await createClient())
    const web = new WebSession()

    const page = await web.get(path)
    assert.include(decode(page.text), 'nothing easy to guess')

    const common = await web.post(path, { password: 'password1234', password_confirmation: 'password1234' })
    assert.equal(common.location, path)
    const commonPage = await web.follow(common)
    assert.include(decode(commonPage.text), COMMON_PASSWORD_MESSAGE)
    assert.include(commonPage.text, 'id="field-password-error"')

    const short = await web.post(path, { password: 'short', password_confirmation: 'short' })
    assert.include((await web.follow(short)).text, 'Please use at least 12 characters.')

    const mismatch = await web.post(path, { password: NEW_PASSWORD, password_confirmation: `${NEW_PASSWORD}x` })
    assert.include((await web.follow(mismatch)).text, 'The two passwords are not the same.')

    assert.isNull((await PortalInvitation.findOrFail(invitation.id)).acceptedAt)
    const leaked = await db.from('sessions').whereLike('data', '%password1234%').count('* as n')
    assert.equal(Number(leaked[0].n), 0)
  }).timeout(30_000)

  test('an email that has an account signs in first; the invitation then adds the client', async ({ assert }) => {
    const first = await createClient({ dateOfBirth: DateTime.fromISO('2012-02-29') })
    const second = await createClient({ dateOfBirth: DateTime.fromISO('2015-09-30') })
    const account = await createPortalAccount(first, 'parent')
    const { path, invitation } = await invite(second, account.email, { relationship: 'parent' })

    const web = new WebSession()
    const prompt = await web.get(path)
    assert.equal(prompt.status, 200)
    assert.include(prompt.text, 'Please sign in first')
    const signInUrl = `/portal/login?next=${encodeURIComponent(path)}`
    assert.include(decode(prompt.text), `href="${signInUrl}"`)
    // Submitting a password (from a form opened before the account existed) spends nothing.
    await web.get('/portal/login')
    const posted = await web.post(path, { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
    assert.include(posted.text, 'Please sign in first')
    assert.isNull((await PortalInvitation.findOrFail(invitation.id)).acceptedAt)
    assert.isTrue(await (await ClientUser.findOrFail(account.id)).verifyPassword(PASSWORD))

    await web.get(signInUrl)
    const signedIn = await web.post('/portal/login', { email: account.email, password: PASSWORD })
    assert.equal(signedIn.location, path)
    const confirm = await web.get(path)
    assert.include(confirm.text, `Add ${second.displayFirstName} to your portal`)
    const added = await web.post(path, {})
    assert.equal(added.location, '/portal/onboarding')
    const verifyPage = await web.follow(added)
    assert.include(decode(verifyPage.text), `Confirm ${second.displayFirstName}’s date of birth`)

    const verified = await web.post('/portal/onboarding/verify', dateParts('2015-09-30'))
    assert.equal(verified.location, '/portal')
    const home = await web.follow(verified)
    assert.include(home.text, `Viewing: <strong>${second.displayFirstName}</strong>`)

    const links = await ClientUserLink.query().where('clientUserId', account.id).orderBy('id')
    assert.deepEqual(links.map((link) => link.clientId), [first.id, second.id])
    assert.isNotNull(links[1].verifiedAt)
    assert.equal((await ClientUser.findOrFail(account.id)).status, 'active')
    assert.lengthOf(await ClientUser.query().where('email', account.email), 1)
  }).timeout(30_000)

  test('an authorized caregiver link records the consent given at the invitation', async ({ assert }) => {
    const client = await createClient()
    const { path } = await invite(client, uniqueEmail('caregiver'), { relationship: 'authorized_caregiver', consent: true })
    const { response } = await acceptOverHttp(path)
    assert.equal(response.location, '/portal/onboarding/verify')
    const link = await ClientUserLink.query().where('clientId', client.id).firstOrFail()
    assert.equal(link.relationship, 'authorized_caregiver')
    assert.isNotNull(link.consentRecordedAt)
  })
})

test.group('Portal onboarding: identity check and coming back later', () => {
  test('ten wrong dates of birth sent together count at most five and lock the invitation', async ({ assert }) => {
    const admin = await createStaff('admin')
    const client = await createClient({ dateOfBirth: DateTime.fromISO('2001-05-06') })
    const { path, invitation } = await invite(client)
    const { web } = await acceptOverHttp(path)
    await web.get('/portal/onboarding/verify')

    const wrong = Array.from({ length: 10 }, (_, i) => dateParts(`1999-01-${String(i + 10).padStart(2, '0')}`))
    const responses = await Promise.all(wrong.map((parts) => web.post('/portal/onboarding/verify', parts)))
    for (const response of responses) assert.equal(response.location, '/portal/onboarding/verify')

    await invitation.refresh()
    assert.equal(invitation.verifyAttempts, 5)
    assert.isNotNull(invitation.lockedAt)
    assert.equal(invitation.status, 'locked')
    assert.lengthOf(await auditRows('portal.identity.failed', { client_id: client.id }), 5)
    assert.lengthOf(await auditRows('portal.invitation.locked', { client_id: client.id }), 1)

    // Locked: even the right date no longer works, and the person is asked to call.
    const right = await web.post('/portal/onboarding/verify', dateParts('2001-05-06'))
    const lockedPage = await web.follow(right)
    assert.include(lockedPage.text, 'Please call the practice to finish setting up')
    assert.include(lockedPage.text, '(555) 000-0000')
    await invitation.refresh()
    assert.isNull(invitation.verifiedAt)
    assert.equal(invitation.verifyAttempts, 5)
    assert.isNull((await ClientUserLink.findByOrFail('clientId', client.id)).verifiedAt)

    // Staff see it as locked.
    const staffPage = await (await signIn(admin)).get('/portal-settings')
    const row = staffPage.text.split(`data-invitation="${invitation.id}"`)[1].split('</tr>')[0]
    assert.include(row, 'data-status="locked"')
    assert.include(row, 'Locked')
  }).timeout(60_000)

  test('a wrong date says so calmly; a badly typed one is not counted', async ({ assert }) => {
    const client = await createClient()
    const { path, invitation } = await invite(client)
    const { web } = await acceptOverHttp(path)
    await web.get('/portal/onboarding/verify')

    const typo = await web.post('/portal/onboarding/verify', { month: '13', day: '40', year: '19' })
    assert.include((await web.follow(typo)).text, 'Please enter the date of birth as numbers')
    const impossible = await web.post('/portal/onboarding/verify', { month: '2', day: '30', year: '2001' })
    assert.include((await web.follow(impossible)).text, 'Please enter the date of birth as numbers')
    await invitation.refresh()
    assert.equal(invitation.verifyAttempts, 0)

    const wrong = await web.post('/portal/onboarding/verify', dateParts('1991-04-12'))
    const page = await web.follow(wrong)
    assert.include(page.text, 'That date does not match what the practice has on file.')
    assert.include(page.text, 'aria-invalid="true"')
    await invitation.refresh()
    assert.equal(invitation.verifyAttempts, 1)
  })

  test('someone who leaves halfway signs in later and lands on the step they left', async ({ assert }) => {
    const client = await createClient({ dateOfBirth: DateTime.fromISO('1979-11-23') })
    const { path, email } = await invite(client)
    await acceptOverHttp(path)

    const later = new WebSession()
    await later.get('/portal/login')
    const signedIn = await later.post('/portal/login', { email, password: NEW_PASSWORD })
    const verifyStep = await later.follow(signedIn)
    assert.include(decode(verifyStep.text), 'Confirm your date of birth')
    assert.equal((await later.get('/portal/onboarding')).location, '/portal/onboarding/verify')

    await later.post('/portal/onboarding/verify', dateParts('1979-11-23'))
    await later.post('/portal/logout', {})

    const again = new WebSession()
    await again.get('/portal/login')
    const profileStep = await again.follow(await again.post('/portal/login', { email, password: NEW_PASSWORD }))
    assert.include(profileStep.text, 'Check your details')
    assert.equal((await again.get('/portal/onboarding')).location, '/portal/onboarding/profile')

    // A profile with problems keeps the person on the step, with the reasons.
    const incomplete = await again.post('/portal/onboarding/profile', profileForm({ phone: '123', contactName: '' }))
    const problems = await again.follow(incomplete)
    assert.include(problems.text, 'Please enter a full phone number')
    assert.include(problems.text, 'Please enter the name of someone the practice can call')
    assert.equal((await ClientUser.findByOrFail('email', email)).status, 'onboarding')

    const done = await again.post('/portal/onboarding/profile', profileForm())
    assert.equal(done.location, '/portal')
    assert.equal((await again.get('/portal/onboarding')).location, '/portal')
  }).timeout(30_000)
})
