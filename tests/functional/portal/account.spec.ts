import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Client from '#models/client'
import ClientUser from '#models/client_user'
import ClientPreference from '#models/client_preference'
import EmergencyContact from '#models/emergency_contact'
import OneTimeToken from '#models/one_time_token'
import MailMessage, { type MailTemplate } from '#models/mail_message'
import { WebSession } from '#tests/helpers/web'
import { browserForm } from '#tests/helpers/forms'
import { PASSWORD, createClient, createPortalAccount } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'

/*
| The portal Account page, through real HTTP on real PostgreSQL: a browser
| stand-in that reads the page (for its CSRF token) before each post and
| sends a Referer, as a browser does.
*/
const marker = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`

async function send(web: WebSession, path: string, form: Record<string, string | string[]>) {
  await web.get('/portal/account')
  return web.post(path, form, { referer: new URL('/portal/account', web.baseUrl).href })
}

async function addContact(client: Client, attributes: Partial<EmergencyContact> = {}) {
  return EmergencyContact.create({
    clientId: client.id,
    name: marker('Contact'),
    relationship: 'Friend',
    phone: '+12133734253',
    priority: 1,
    ...attributes,
  })
}

/** A signed-in adult client with one emergency contact (as after onboarding). */
async function signedInClient(attributes: Partial<Client> = {}) {
  const client = await createClient({ phone: '+12025550143', city: marker('Town'), ...attributes })
  const contact = await addContact(client)
  const account = await createPortalAccount(client)
  const web = await signIn(account)
  return { client, contact, account, web }
}

/** The newest queued mail of a template to an address. */
function mailTo(recipient: string, template: MailTemplate) {
  return MailMessage.query().where({ recipient, template }).orderBy('id', 'desc').firstOrFail()
}

function auditRows(accountId: number, action?: string) {
  const query = db.from('audit_events').where({ actor_kind: 'client_user', actor_id: accountId })
  if (action) query.where('action', action)
  return query.orderBy('id')
}

const contactForm = (overrides: Record<string, string> = {}) => ({
  _form: 'contact',
  phone: '(213) 373-4253',
  email: '',
  addressLine1: '12 Harbor Lane',
  addressLine2: '',
  city: 'Springfield',
  region: 'IL',
  postalCode: '62704',
  ...overrides,
})

const decode = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')

test.group('Portal account page', () => {
  test("shows the active client's details, never another client's", async ({ assert }) => {
    const { client, contact, account, web } = await signedInClient()
    const other = await createClient({ city: marker('OtherTown'), phone: '+13125550199' })
    await addContact(other, { name: marker('OtherContact') })

    const page = await web.get('/portal/account')
    assert.equal(page.status, 200)
    assert.include(page.text, '<h1>Your account</h1>')
    assert.include(page.text, 'Your sign-in')
    assert.include(page.text, `Contact details for ${client.displayFirstName}`)
    assert.include(page.text, account.email)
    assert.include(page.text, client.city!)
    assert.include(page.text, '(202) 555-0143')
    assert.include(page.text, contact.name)
    assert.notInclude(page.text, other.city!)
    assert.notInclude(page.text, other.firstName)
    assert.notInclude(page.text, '(312) 555-0199')
    // No inline styles or scripts: the CSP allows neither.
    assert.notMatch(page.text, /\sstyle=/)
    assert.notMatch(page.text, /<script(?![^>]*\ssrc=)/)

    const [viewed] = await auditRows(account.id, 'portal.account.viewed')
    assert.equal(viewed.client_id, client.id)
  })

  test('a valid phone number is saved in E.164 and shown as people write it', async ({ assert }) => {
    const { client, account, web } = await signedInClient()
    const response = await send(web, '/portal/account/contact', contactForm({ phone: '213.373.4253' }))
    assert.equal(response.status, 302)
    assert.equal(response.location, '/portal/account')

    const saved = await Client.findOrFail(client.id)
    assert.equal(saved.phone, '+12133734253')

    const page = await web.follow(response)
    assert.include(page.text, `Contact details for ${client.displayFirstName} are saved.`)
    assert.include(page.text, 'value="(213) 373-4253"')

    const [event] = await auditRows(account.id, 'portal.profile.updated')
    assert.equal(event.client_id, client.id)
    assert.deepEqual(event.detail, { section: 'contact' })
  })

  test('an invalid phone number is refused next to its field, the input kept, nothing saved', async ({ assert }) => {
    const { client, account, web } = await signedInClient()
    const before = await Client.findOrFail(client.id)
    const city = marker('NewTown')

    const response = await send(web, '/portal/account/contact', contactForm({ phone: '12345', city }))
    assert.equal(response.status, 302)
    assert.match(response.location!, /\/portal\/account$/)

    const page = await web.follow(response)
    assert.equal(page.status, 200)
    // The error sits under the contact form's phone field, tied to it for screen readers.
    assert.match(page.text, /id="contact-phone"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="contact-phone"/)
    assert.include(page.text, 'id="contact-phone-error"')
    assert.include(page.text, 'Please enter a full phone number with its area code')
    assert.include(page.text, 'href="#contact-phone"')
    // What the person typed is still there...
    assert.include(page.text, 'value="12345"')
    assert.include(page.text, `value="${city}"`)
    // ...and only in the form that was sent: the add-contact form stays clean.
    assert.notInclude(page.text, 'id="add-contact-phone-error"')

    const after = await Client.findOrFail(client.id)
    assert.equal(after.phone, before.phone)
    assert.equal(after.city, before.city)
    assert.equal(after.updatedAt.toMillis(), before.updatedAt.toMillis())
    assert.lengthOf(await auditRows(account.id, 'portal.profile.updated'), 0)
  })

  test('address and preferences are saved for the active client', async ({ assert }) => {
    const { client, account, web } = await signedInClient()
    // Staff recorded "may we text"; the portal neither asks nor changes it.
    await ClientPreference.query().where('clientId', client.id).update({ consentSms: true })

    const address = await send(web, '/portal/account/contact', contactForm({
      email: 'Someone@Example.COM',
      addressLine1: '40 Quiet Street',
      addressLine2: 'Apt 2',
      city: 'Lakeside',
      region: 'WI',
      postalCode: '53703',
    }))
    assert.equal(address.location, '/portal/account')
    const saved = await Client.findOrFail(client.id)
    assert.equal(saved.email, 'someone@example.com')
    assert.equal(saved.addressLine1, '40 Quiet Street')
    assert.equal(saved.addressLine2, 'Apt 2')
    assert.equal(saved.city, 'Lakeside')
    assert.equal(saved.region, 'WI')
    assert.equal(saved.postalCode, '53703')

    const preferences = await send(web, '/portal/account/preferences', {
      _form: 'preferences',
      reminderChannel: 'none',
      reminderLeadHours: '48',
      language: 'en',
      consentDetailsInEmail: '1',
      // consentEmail unticked: not sent at all, as a browser does.
    })
    assert.equal(preferences.location, '/portal/account')
    const preference = await ClientPreference.findOrFail(client.id)
    assert.equal(preference.reminderChannel, 'none')
    assert.equal(preference.reminderLeadHours, 48)
    assert.isFalse(preference.consentEmail)
    assert.isTrue(preference.consentSms, 'the stored "may we text" stays')
    assert.isTrue(preference.consentDetailsInEmail)

    const page = await web.follow(preferences)
    assert.include(page.text, 'Your preferences are saved.')
    assert.include(page.text, '<option value="en" lang="en" selected>')
    assert.include(page.text, '<option value="48" selected>')
    assert.match(page.text, /id="preferences-consentDetailsInEmail"[^>]*checked/)
    // The portal sends no texts, so it does not offer them.
    assert.notInclude(page.text, 'consentSms')
    assert.notMatch(page.text, /id="preferences-consentEmail"[^>]*checked/)

    const events = await auditRows(account.id, 'portal.profile.updated')
    assert.deepEqual(events.map((event) => event.detail), [{ section: 'contact' }, { section: 'preferences' }])
  })

  test('invalid preferences change nothing', async ({ assert }) => {
    const { client, web } = await signedInClient()
    const before = await ClientPreference.findOrFail(client.id)
    const response = await send(web, '/portal/account/preferences', {
      _form: 'preferences',
      reminderChannel: 'carrier-pigeon',
      reminderLeadHours: '500',
      language: 'en',
    })
    assert.equal(response.status, 302)
    const page = await web.follow(response)
    assert.include(page.text, 'id="preferences-reminderChannel-error"')
    const after = await ClientPreference.findOrFail(client.id)
    assert.equal(after.reminderChannel, before.reminderChannel)
    assert.equal(after.reminderLeadHours, before.reminderLeadHours)
  })

  test('an emergency contact is added, edited and removed', async ({ assert }) => {
    const { client, contact: first, account, web } = await signedInClient()
    const name = marker('Robin')

    const added = await send(web, '/portal/account/emergency-contacts', {
      _form: 'add-contact',
      name,
      relationship: 'Sister',
      phone: '(415) 867-5309',
      email: 'Robin@Example.org',
      priority: '2',
    })
    assert.equal(added.location, '/portal/account')
    const contact = await EmergencyContact.query().where('clientId', client.id).where('name', name).firstOrFail()
    assert.equal(contact.phone, '+14158675309')
    assert.equal(contact.email, 'robin@example.org')
    assert.equal(contact.priority, 2)
    const listed = await web.follow(added)
    assert.include(listed.text, `${name} is added as an emergency contact.`)
    assert.include(listed.text, '(415) 867-5309')
    assert.include(listed.text, `/portal/account/emergency-contacts/${contact.id}/edit`)

    const editPage = await web.get(`/portal/account/emergency-contacts/${contact.id}/edit`)
    assert.equal(editPage.status, 200)
    assert.include(editPage.text, 'Edit emergency contact')
    assert.include(editPage.text, `value="${name}"`)
    assert.include(editPage.text, 'value="(415) 867-5309"')

    const editPath = `/portal/account/emergency-contacts/${contact.id}/edit`
    await web.get(editPath)
    const updated = await web.post(
      `/portal/account/emergency-contacts/${contact.id}`,
      { _form: 'edit-contact', name, relationship: 'Cousin', phone: '+44 20 7946 0958', email: '', priority: '1' },
      { referer: new URL(editPath, web.baseUrl).href }
    )
    assert.equal(updated.location, '/portal/account')
    await contact.refresh()
    assert.equal(contact.relationship, 'Cousin')
    assert.equal(contact.phone, '+442079460958')
    assert.isNull(contact.email)
    assert.include((await web.follow(updated)).text, '+44 20 7946 0958')

    // A refused edit goes back to the edit page with the error; nothing changes.
    await web.get(editPath)
    const refused = await web.post(
      `/portal/account/emergency-contacts/${contact.id}`,
      { _form: 'edit-contact', name: '', relationship: 'Cousin', phone: 'not a phone', priority: '1' },
      { referer: new URL(editPath, web.baseUrl).href }
    )
    assert.match(refused.location!, /\/edit$/)
    const refusedPage = await web.follow(refused)
    assert.include(refusedPage.text, 'id="edit-contact-name-error"')
    assert.include(refusedPage.text, 'id="edit-contact-phone-error"')
    await contact.refresh()
    assert.equal(contact.name, name)

    // "Remove" asks first, on a page of its own (a link, so it works without JavaScript).
    const accountPage = (await web.get('/portal/account')).text
    assert.include(accountPage, `href="/portal/account/emergency-contacts/${contact.id}/delete"`)
    const question = await web.get(`/portal/account/emergency-contacts/${contact.id}/delete`)
    assert.equal(question.status, 200)
    assert.include(decode(question.text), `Remove ${name}?`)
    assert.isNotNull(await EmergencyContact.find(contact.id))

    const removed = await web.send(browserForm(question.text, `/portal/account/emergency-contacts/${contact.id}/delete`))
    assert.equal(removed.location, '/portal/account')
    assert.isNull(await EmergencyContact.find(contact.id))
    assert.isNotNull(await EmergencyContact.find(first.id))
    assert.include((await web.follow(removed)).text, `${name} is removed from the emergency contacts.`)

    const events = await auditRows(account.id)
    const contactEvents = events.filter((event) => event.action.startsWith('portal.emergency_contact.'))
    assert.deepEqual(
      contactEvents.map((event) => [event.action, event.detail, event.client_id]),
      [
        ['portal.emergency_contact.added', { contactId: contact.id }, client.id],
        ['portal.emergency_contact.updated', { contactId: contact.id }, client.id],
        ['portal.emergency_contact.removed', { contactId: contact.id }, client.id],
      ]
    )
  })

  test('the last emergency contact cannot be removed', async ({ assert }) => {
    const { contact, account, web } = await signedInClient()
    const response = await send(web, `/portal/account/emergency-contacts/${contact.id}/delete`, {})
    assert.equal(response.status, 302)
    assert.equal(response.location, '/portal/account')
    assert.isNotNull(await EmergencyContact.find(contact.id))

    const page = decode((await web.follow(response)).text)
    assert.include(page, `The practice needs at least one emergency contact, so ${contact.name} is still on the list.`)
    // Its confirm page says so too, and offers no button.
    const question = decode((await web.get(`/portal/account/emergency-contacts/${contact.id}/delete`)).text)
    assert.include(question, `so ${contact.name} cannot be removed`)
    assert.notInclude(question, 'Yes, remove')
    assert.lengthOf(await auditRows(account.id, 'portal.emergency_contact.removed'), 0)
  })

  test("another client's emergency contact answers 404 and stays as it was", async ({ assert }) => {
    const { web } = await signedInClient()
    const other = await createClient()
    const theirs = await addContact(other)
    await addContact(other)

    assert.equal((await web.get(`/portal/account/emergency-contacts/${theirs.id}/edit`)).status, 404)
    const form = { _form: 'edit-contact', name: 'Changed', relationship: 'Friend', phone: '(213) 373-4253', priority: '1' }
    assert.equal((await send(web, `/portal/account/emergency-contacts/${theirs.id}`, form)).status, 404)
    assert.equal((await send(web, `/portal/account/emergency-contacts/${theirs.id}/delete`, {})).status, 404)
    assert.equal((await web.get(`/portal/account/emergency-contacts/${theirs.id}/delete`)).status, 404)
    // An id that does not exist at all answers the same.
    assert.equal((await web.get('/portal/account/emergency-contacts/999999999/edit')).status, 404)

    const after = await EmergencyContact.findOrFail(theirs.id)
    assert.equal(after.name, theirs.name)
    assert.equal(after.clientId, other.id)
    assert.equal(after.updatedAt.toMillis(), theirs.updatedAt.toMillis())
  })

  test("a guardian edits only the active child's details", async ({ assert }) => {
    const tag = marker('kid')
    const childDob = DateTime.now().minus({ years: 9 })
    // The active child is the first by first name.
    const childA = await createClient({ firstName: `Aaron-${tag}`, dateOfBirth: childDob, phone: '+12025550101' })
    const childB = await createClient({ firstName: `Zoe-${tag}`, dateOfBirth: childDob, phone: '+12025550102', city: marker('ZoeTown') })
    await addContact(childA)
    const bContact = await addContact(childB, { name: marker('ZoeContact') })
    const guardian = await createPortalAccount([childA, childB], 'parent')
    const web = await signIn(guardian)
    const bPreferenceBefore = await ClientPreference.findOrFail(childB.id)

    const page = await web.get('/portal/account')
    assert.include(page.text, `Contact details for Aaron-${tag}`)
    assert.notInclude(page.text, `Contact details for Zoe-${tag}`)
    assert.notInclude(page.text, childB.city!)
    assert.notInclude(page.text, bContact.name)

    await send(web, '/portal/account/contact', contactForm({ phone: '(415) 867-5309' }))
    await send(web, '/portal/account/emergency-contacts', {
      _form: 'add-contact', name: marker('Grandma'), relationship: 'Grandmother', phone: '(213) 373-4253', priority: '2',
    })
    await send(web, '/portal/account/preferences', {
      _form: 'preferences', reminderChannel: 'none', reminderLeadHours: '2', language: 'en',
    })
    // A guessed id of the other child's contact is refused like any foreign id.
    assert.equal((await send(web, `/portal/account/emergency-contacts/${bContact.id}/delete`, {})).status, 404)

    assert.equal((await Client.findOrFail(childA.id)).phone, '+14158675309')
    assert.equal((await Client.findOrFail(childB.id)).phone, '+12025550102')
    assert.lengthOf(await EmergencyContact.query().where('clientId', childA.id), 2)
    assert.lengthOf(await EmergencyContact.query().where('clientId', childB.id), 1)
    assert.equal((await ClientPreference.findOrFail(childA.id)).reminderLeadHours, 2)
    const bPreferenceAfter = await ClientPreference.findOrFail(childB.id)
    assert.equal(bPreferenceAfter.reminderLeadHours, bPreferenceBefore.reminderLeadHours)
    assert.equal(bPreferenceAfter.updatedAt.toMillis(), bPreferenceBefore.updatedAt.toMillis())

    const events = await auditRows(guardian.id, 'portal.profile.updated')
    assert.isNotEmpty(events)
    for (const event of events) assert.equal(event.client_id, childA.id)
  })
})

test.group('Portal account: sign-in email', () => {
  const pendingTokens = (accountId: number) =>
    OneTimeToken.query().where('clientUserId', accountId).where('purpose', 'email_change').whereNull('usedAt')

  test('is refused without the current password, or with a wrong one; no token is made', async ({ assert }) => {
    const { account, web } = await signedInClient()
    const newEmail = `${marker('new')}@example.test`

    const missing = await send(web, '/portal/account/sign-in-email', { _form: 'sign-in-email', newEmail })
    assert.equal(missing.location, '/portal/account')
    assert.include((await web.follow(missing)).text, 'Please enter your current password.')

    const wrongPassword = marker('not-my-password')
    const wrong = await send(web, '/portal/account/sign-in-email', {
      _form: 'sign-in-email',
      newEmail,
      currentPassword: wrongPassword,
    })
    assert.equal(wrong.location, '/portal/account')
    const page = await web.follow(wrong)
    assert.include(page.text, 'id="sign-in-email-currentPassword-error"')
    assert.include(page.text, 'That is not your current password.')
    // The new email is kept in its field; the password never reaches the session.
    assert.include(page.text, `value="${newEmail}"`)
    const leaked = await db.from('sessions').whereLike('data', `%${wrongPassword}%`).count('* as n')
    assert.equal(Number(leaked[0].n), 0)

    assert.lengthOf(await OneTimeToken.query().where('clientUserId', account.id), 0)
    assert.equal((await ClientUser.findOrFail(account.id)).email, account.email)
    assert.lengthOf(await auditRows(account.id, 'portal.sign_in_email.change_requested'), 0)
  })

  test('an email of another portal account cannot be used', async ({ assert }) => {
    const { account, web } = await signedInClient()
    const someoneElse = await createPortalAccount(await createClient())
    const response = await send(web, '/portal/account/sign-in-email', {
      _form: 'sign-in-email',
      newEmail: someoneElse.email.toUpperCase(),
      currentPassword: PASSWORD,
    })
    const page = await web.follow(response)
    assert.include(page.text, 'That email cannot be used. Please choose another.')
    assert.lengthOf(await OneTimeToken.query().where('clientUserId', account.id), 0)
  })

  test('with the current password a pending change is made and shown', async ({ assert }) => {
    const { client, account, web } = await signedInClient()
    const firstEmail = `${marker('first')}@example.test`
    const newEmail = `${marker('new')}@example.test`

    await send(web, '/portal/account/sign-in-email', { _form: 'sign-in-email', newEmail: firstEmail, currentPassword: PASSWORD })
    const first = await pendingTokens(account.id).firstOrFail()

    const response = await send(web, '/portal/account/sign-in-email', {
      _form: 'sign-in-email',
      newEmail: newEmail.toUpperCase(),
      currentPassword: PASSWORD,
    })
    assert.equal(response.location, '/portal/account')

    // Only the newest link works: the first one is retired.
    await first.refresh()
    assert.isNotNull(first.usedAt)
    const pending = await pendingTokens(account.id)
    assert.lengthOf(pending, 1)
    const [token] = pending
    assert.deepEqual(token.payload, { email: newEmail })
    assert.match(token.tokenHash, /^[0-9a-f]{64}$/)
    const hoursLeft = token.expiresAt.diffNow('hours').hours
    assert.isAbove(hoursLeft, 23.9)
    assert.isAtMost(hoursLeft, 24)

    // The sign-in email itself changes only when the link is opened.
    assert.equal((await ClientUser.findOrFail(account.id)).email, account.email)
    const page = await web.follow(response)
    assert.include(page.text, `We sent a confirmation link to <strong>${newEmail}</strong>. Your sign-in email changes when you open it.`)

    const events = await auditRows(account.id, 'portal.sign_in_email.change_requested')
    assert.lengthOf(events, 2)
    assert.deepEqual(events[1].detail, { tokenId: token.id })
    assert.equal(events[1].client_id, client.id)

    // A link to the new address; a notice to the current one, which shows the new one masked.
    const confirmation = await mailTo(newEmail, 'email_change_confirm')
    assert.match(String(confirmation.data.link), /\/portal\/sign-in-email\/[A-Za-z0-9_-]{43}$/)
    const notice = await mailTo(account.email, 'email_change_notice')
    assert.equal(notice.data.newEmailMasked, `${newEmail.slice(0, 1)}•••@example.test`)
  })

  test('the emailed link confirms: the email changes, every session ends, the link works once', async ({ assert }) => {
    const { account, web } = await signedInClient()
    const otherDevice = await signIn(account)
    const newEmail = `${marker('confirmed')}@example.test`
    await send(web, '/portal/account/sign-in-email', { _form: 'sign-in-email', newEmail, currentPassword: PASSWORD })
    const path = new URL(String((await mailTo(newEmail, 'email_change_confirm')).data.link)).pathname

    // Opening the link (as a mail scanner would) spends nothing.
    const page = await web.get(path)
    assert.equal(page.status, 200)
    assert.include(page.text, `From now on you will sign in with <strong>${newEmail}</strong>.`)
    assert.lengthOf(await pendingTokens(account.id), 1)

    const confirmed = await web.post(path)
    assert.equal(confirmed.location, '/portal/login')
    assert.include((await web.follow(confirmed)).text, `Your sign-in email is now ${newEmail}. Please sign in with it.`)
    assert.equal((await ClientUser.findOrFail(account.id)).email, newEmail)
    assert.equal((await otherDevice.get('/portal')).location, '/portal/login', 'the other device is signed out')
    assert.lengthOf(await auditRows(account.id, 'portal.sign_in_email.changed'), 1)

    const again = await web.post(path)
    assert.equal(again.status, 404)
    assert.include(again.text, 'This link no longer works')
    assert.equal((await web.get(path)).text, again.text)

    const oldEmail = await new WebSession().submit('/portal/login', '/portal/login', { email: account.email, password: PASSWORD })
    assert.equal(oldEmail.location, '/portal/login', 'the old address no longer signs in')
    const signedIn = await new WebSession().submit('/portal/login', '/portal/login', { email: newEmail, password: PASSWORD })
    assert.equal(signedIn.location, '/portal')
  })

  test('an address taken by another account meanwhile changes nothing; an expired link does not work', async ({ assert }) => {
    const { account, web } = await signedInClient()
    const newEmail = `${marker('taken')}@example.test`
    await send(web, '/portal/account/sign-in-email', { _form: 'sign-in-email', newEmail, currentPassword: PASSWORD })
    const path = new URL(String((await mailTo(newEmail, 'email_change_confirm')).data.link)).pathname
    await createPortalAccount(await createClient(), 'self', { email: newEmail })

    await web.get(path)
    const refused = await web.post(path)
    assert.equal(refused.status, 409)
    assert.include(refused.text, 'That email cannot be used')
    assert.equal((await ClientUser.findOrFail(account.id)).email, account.email)
    assert.equal((await web.get('/portal')).status, 200, 'still signed in: nothing changed')

    await OneTimeToken.query().where('clientUserId', account.id).where('purpose', 'email_change').update({
      expiresAt: DateTime.now().minus({ minutes: 1 }).toSQL(),
    })
    assert.include((await web.get(path)).text, 'This link no longer works')
    assert.include((await web.post(path)).text, 'This link no longer works')
    assert.lengthOf(await auditRows(account.id, 'portal.sign_in_email.changed'), 0)
  })
})

test.group('Portal account: password', () => {
  test('a wrong current password or a mismatched confirmation changes nothing', async ({ assert }) => {
    const { account, web } = await signedInClient()
    const newPassword = marker('a-brand-new-password')

    const wrong = await send(web, '/portal/account/password', {
      _form: 'password',
      currentPassword: 'definitely-not-it-123',
      newPassword,
      newPassword_confirmation: newPassword,
    })
    const wrongPage = await web.follow(wrong)
    assert.include(wrongPage.text, 'id="password-currentPassword-error"')
    assert.include(wrongPage.text, 'That is not your current password.')

    const mismatch = await send(web, '/portal/account/password', {
      _form: 'password',
      currentPassword: PASSWORD,
      newPassword,
      newPassword_confirmation: `${newPassword}-typo`,
    })
    const mismatchPage = await web.follow(mismatch)
    assert.include(mismatchPage.text, 'id="password-newPassword_confirmation-error"')

    const short = await send(web, '/portal/account/password', {
      _form: 'password',
      currentPassword: PASSWORD,
      newPassword: 'short',
      newPassword_confirmation: 'short',
    })
    assert.include((await web.follow(short)).text, 'Please use at least 12 characters.')

    const leaked = await db.from('sessions').whereLike('data', `%${newPassword}%`).count('* as n')
    assert.equal(Number(leaked[0].n), 0)
    const reloaded = await ClientUser.findOrFail(account.id)
    assert.isTrue(await reloaded.verifyPassword(PASSWORD))
    assert.equal(reloaded.sessionEpoch, account.sessionEpoch)
    assert.lengthOf(await auditRows(account.id, 'portal.password.changed'), 0)
  })

  test('a new password ends the other sessions of the account and keeps this one', async ({ assert }) => {
    const { client, account, web } = await signedInClient()
    const otherDevice = await signIn(account)
    assert.equal((await otherDevice.get('/portal/account')).status, 200)
    const newPassword = marker('quiet-river-morning')
    const sessionIdBefore = web.sessionId

    const response = await send(web, '/portal/account/password', {
      _form: 'password',
      currentPassword: PASSWORD,
      newPassword,
      newPassword_confirmation: newPassword,
    })
    assert.equal(response.location, '/portal/account')
    const page = await web.follow(response)
    assert.equal(page.status, 200)
    assert.include(page.text, 'Your password is changed.')
    assert.equal((await web.get('/portal')).status, 200)
    // This session carries on under a new id.
    assert.notEqual(web.sessionId, sessionIdBefore)

    const elsewhere = await otherDevice.get('/portal/account')
    assert.equal(elsewhere.status, 302)
    assert.equal(elsewhere.location, '/portal/login')

    const reloaded = await ClientUser.findOrFail(account.id)
    assert.isTrue(await reloaded.verifyPassword(newPassword))
    assert.equal(reloaded.sessionEpoch, account.sessionEpoch + 1)

    const [event] = await auditRows(account.id, 'portal.password.changed')
    assert.equal(event.client_id, client.id)
    assert.deepEqual(event.detail, {})
  })
})

test.group('Portal account: audit trail', () => {
  test('every change is recorded with ids and section names only', async ({ assert }) => {
    const { contact, account, web } = await signedInClient()
    const values = {
      phone: '(415) 867-5309',
      name: marker('Jordan'),
      email: `${marker('person')}@example.test`,
      newEmail: `${marker('signin')}@example.test`,
      city: marker('Rivertown'),
    }
    await send(web, '/portal/account/contact', contactForm({ phone: values.phone, email: values.email, city: values.city }))
    await send(web, '/portal/account/preferences', { _form: 'preferences', reminderChannel: 'email', reminderLeadHours: '24', language: 'en' })
    await send(web, '/portal/account/emergency-contacts', {
      _form: 'add-contact', name: values.name, relationship: 'Friend', phone: values.phone, email: values.email, priority: '2',
    })
    await send(web, `/portal/account/emergency-contacts/${contact.id}`, {
      _form: 'edit-contact', name: contact.name, relationship: 'Neighbour', phone: values.phone, priority: '1',
    })
    await send(web, `/portal/account/emergency-contacts/${contact.id}/delete`, {})
    await send(web, '/portal/account/sign-in-email', { _form: 'sign-in-email', newEmail: values.newEmail, currentPassword: PASSWORD })

    const events = await auditRows(account.id)
    const changes = events.filter((event) => event.action !== 'portal.account.viewed' && event.action !== 'portal.sign_in')
    assert.sameMembers(
      changes.map((event) => event.action),
      [
        'portal.profile.updated',
        'portal.profile.updated',
        'portal.emergency_contact.added',
        'portal.emergency_contact.updated',
        'portal.emergency_contact.removed',
        'portal.sign_in_email.change_requested',
      ]
    )
    for (const event of events) {
      const detail = JSON.stringify(event.detail)
      for (const key of Object.keys(event.detail ?? {})) {
        assert.oneOf(key, ['section', 'contactId', 'tokenId'], `${event.action} detail key`)
      }
      for (const value of [...Object.values(values), '+14158675309', account.email, contact.name, PASSWORD]) {
        assert.notInclude(detail, value, event.action)
      }
    }
  })
})
