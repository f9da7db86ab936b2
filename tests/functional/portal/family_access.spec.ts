import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ClientPreference from '#models/client_preference'
import ClientUserLink from '#models/client_user_link'
import { PortalContext } from '#portal/portal_context'
import { beginClientTransaction } from '#portal/client_transaction'
import { endPortalLink } from '#actions/portal_accounts/end_portal_link'
import { endParentLinksAtEighteen } from '#actions/family/end_parent_links_at_eighteen'
import { inPractice } from '#support/practice_time'
import { SYSTEM_ACTOR } from '#support/actor'
import {
  PASSWORD,
  createClient,
  createEmergencyContact,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { WebSession } from '#tests/helpers/web'
import { deliverAll, groupSmtpCapture, linksIn } from '#tests/helpers/mail'
import { acceptOverHttp, dateParts, pathOf, profileForm, uniqueEmail } from '#tests/helpers/onboarding'
import type Client from '#models/client'
import type { Relationship } from '#models/client_user_link'
import type { SmtpCapture } from '#tests/helpers/smtp'
import AddLinkAccessLevels from '#database/migrations/1764140000025_add_link_access_levels'

/*
| Family access levels (issue #20, DESIGN §14): the route refuses (404), the
| page hides, and the database refuses on its own what a level does not
| allow; staff widen a teen's parent link with a reason and it works at
| once; the client is told by mail; the migration narrows parents of teens.
*/

/** A 14-year-old with a shared resource and an emergency contact, a parent on `appointments`, and their own account. */
async function teenFamily() {
  const teen = await createClient({ dateOfBirth: DateTime.now().minus({ years: 14, days: 3 }), email: null })
  const { resource } = await createSharedResource([teen])
  const contact = await createEmergencyContact(teen, { priority: 1 })
  const parent = await createPortalAccount(teen, 'parent', {}, { accessLevel: 'appointments' })
  const own = await createPortalAccount(teen, 'self')
  const link = await ClientUserLink.query().where({ clientUserId: parent.id, clientId: teen.id }).firstOrFail()
  return { teen, resource, contact, parent, own, link }
}

/** Staff invite someone from Portal Settings over HTTP; the invitee follows the mailed link, sets a password and confirms the date of birth. */
async function inviteAndVerify(
  smtp: SmtpCapture,
  client: Client,
  relationship: Exclude<Relationship, 'self'>,
  email = uniqueEmail(relationship)
) {
  const admin = await signIn(await createStaff('admin'))
  await admin.get('/portal-settings')
  const sent = await admin.post('/portal-settings/invitations', {
    clientId: String(client.id),
    relationship,
    recipientName: 'Jordan Rivera',
    email,
    ...(relationship === 'authorized_caregiver' ? { consent: '1' } : {}),
  })
  if (sent.status !== 302) throw new Error(`The invitation was not sent (${sent.status})`)
  await deliverAll()
  const [invitation] = await smtp.waitFor(() => smtp.to(email).length === 1).then(() => smtp.to(email))
  const path = pathOf(linksIn(invitation).find((candidate) => candidate.includes('/portal/invitations/'))!)
  const { web, response } = await acceptOverHttp(path)
  if (response.location !== '/portal/onboarding/verify') throw new Error(`Not accepted: ${response.location}`)
  const verified = await web.post('/portal/onboarding/verify', dateParts(client.dateOfBirth!.toISODate()!))
  return { web, email, verified }
}

test.group('Family access levels', (group) => {
  const smtp = groupSmtpCapture(group)
  const mailTo = (email: string) => smtp.messages.filter((message) => message.to.includes(email.toLowerCase()))

  test('a parent of a 14-year-old on appointments: 404 on resources, downloads and contact edits; links hidden', async ({ assert }) => {
    const { resource, contact, parent } = await teenFamily()
    const web = await signIn(parent)

    const home = await web.get('/portal')
    assert.equal(home.status, 200)
    assert.notInclude(home.text, '/portal/resources')
    assert.notInclude(home.text, resource.title)
    assert.equal((await web.get('/portal/appointments')).status, 200)

    assert.equal((await web.get('/portal/resources')).status, 404)
    assert.equal((await web.get(`/portal/resources/${resource.id}/download`)).status, 404)
    assert.equal((await web.get(`/portal/account/emergency-contacts/${contact.id}/edit`)).status, 404)

    const account = await web.get('/portal/account')
    assert.equal(account.status, 200)
    assert.notInclude(account.text, '/portal/account/contact')
    assert.notInclude(account.text, contact.name)
    assert.equal((await web.post('/portal/account/contact', { phone: '(217) 555-0142', city: 'Peoria' })).status, 404)
    assert.equal((await web.post('/portal/account/emergency-contacts', { name: 'Added', relationship: 'Aunt', phone: '+12025550143', priority: '2' })).status, 404)
    assert.equal((await web.post('/portal/account/preferences', { reminderChannel: 'email', reminderLeadHours: '24', language: 'en' })).status, 404)

    // The account's own language stays theirs to set.
    const saved = await web.post('/portal/account/language', { language: 'es' })
    assert.equal(saved.status, 302)
    await parent.refresh()
    assert.equal(parent.language, 'es')
    const refused = await db.from('audit_events').where({ action: 'portal.access.level_refused', actor_id: parent.id }).count('* as n')
    assert.isAtLeast(Number(refused[0].n), 6)
  })

  test('in that request context the database itself shows no resources and refuses contact writes', async ({ assert }) => {
    const { teen, parent } = await teenFamily()
    const portal = (await PortalContext.openFor(parent, teen.id))!
    assert.equal(portal.level, 'appointments')
    await portal.close({ failed: true })

    const trx = await beginClientTransaction(teen.id, portal.level)
    try {
      // Deliberately unscoped: no forClient, no PortalContext.
      assert.lengthOf(await trx.from('resources').select('id'), 0)
      assert.lengthOf(await trx.from('resource_shares').select('id'), 0)
      assert.lengthOf(await trx.from('appointments').select('id').where('client_id', '<>', teen.id), 0)
      assert.lengthOf(await trx.from('clients').select('id'), 1, 'the client row itself is still readable')
      const updated = await trx.from('clients').update({ city: 'Nowhere' })
      assert.equal(Number(updated), 0, 'a contact write changes no row')
      const error = await trx
        .table('emergency_contacts')
        .insert({ client_id: teen.id, name: 'Forced', relationship: 'Aunt', phone: '+12025550143', priority: 5 })
        .then(() => null, (failure) => failure)
      assert.match(String(error?.message), /row-level security/)
    } finally {
      await trx.rollback()
    }

    // The teen's own account is not limited by the parent's level.
    const own = await beginClientTransaction(teen.id, 'full')
    try {
      assert.lengthOf(await own.from('resources').select('id'), 1)
    } finally {
      await own.rollback()
    }
  })

  test('staff widen the level with a reason; it works at once and the teen is told by mail', async ({ assert }) => {
    const { teen, resource, parent, own, link } = await teenFamily()
    const parentWeb = await signIn(parent)
    assert.equal((await parentWeb.get('/portal/resources')).status, 404)

    const admin = await signIn(await createStaff('admin'))
    const page = await admin.get(`/clients/${teen.id}`)
    assert.include(page.text, `/portal-settings/links/${link.id}/level`)

    // Without a reason: nothing changes.
    await admin.post(`/portal-settings/links/${link.id}/level`, { level: 'appointments_and_resources' })
    await link.refresh()
    assert.equal(link.accessLevel, 'appointments')

    const saved = await admin.post(`/portal-settings/links/${link.id}/level`, { level: 'appointments_and_resources', reason: 'Family agreed in session' })
    assert.equal(saved.status, 302)
    await link.refresh()
    assert.equal(link.accessLevel, 'appointments_and_resources')
    assert.equal(link.levelReason, 'Family agreed in session')

    const resources = await parentWeb.get('/portal/resources')
    assert.equal(resources.status, 200)
    assert.include(resources.text, resource.title)
    assert.equal((await parentWeb.post('/portal/account/contact', { phone: '(217) 555-0142' })).status, 404)

    const event = await db.from('audit_events').where({ action: 'staff.portal_link.level_set', client_id: teen.id }).orderBy('id', 'desc').firstOrFail()
    assert.notInclude(JSON.stringify(event.detail), 'Family agreed', 'the reason stays on the link')
    assert.equal(event.detail.reasonGiven, true)

    await deliverAll()
    const [notice] = mailTo(own.email)
    assert.exists(notice)
    assert.include(notice.subject, 'a change to who can see your portal information')
    assert.include(notice.text, parent.displayName)
    assert.include(notice.text, 'sees appointments and shared resources')
    assert.lengthOf(mailTo(parent.email), 0)
  })

  test('an ended link is told to an adult client by mail; discreet mode keeps the subject neutral', async ({ assert }) => {
    const adult = await createClient({ dateOfBirth: DateTime.now().minus({ years: 40 }), email: `adult-${Date.now()}@client.test` })
    const caregiver = await createPortalAccount(adult, 'authorized_caregiver')
    const link = await ClientUserLink.query().where({ clientUserId: caregiver.id, clientId: adult.id }).firstOrFail()
    await endPortalLink(link.id, SYSTEM_ACTOR)
    await deliverAll()
    const [ended] = mailTo(adult.email!)
    assert.exists(ended)
    assert.include(ended.text, `${caregiver.displayName} (authorized caregiver) can no longer see your information`)

    const discreet = await createClient({ dateOfBirth: DateTime.now().minus({ years: 30 }), email: `discreet-${Date.now()}@client.test` })
    await ClientPreference.query().where('clientId', discreet.id).update({ discreetMode: true })
    const other = await createPortalAccount(discreet, 'authorized_caregiver')
    const otherLink = await ClientUserLink.query().where({ clientUserId: other.id, clientId: discreet.id }).firstOrFail()
    await endPortalLink(otherLink.id, SYSTEM_ACTOR)
    await deliverAll()
    const [neutral] = mailTo(discreet.email!)
    assert.exists(neutral)
    assert.equal(neutral.subject, 'A change to your account')

    // No email consent: nothing is sent, and the reason is recorded.
    const quiet = await createClient({ dateOfBirth: DateTime.now().minus({ years: 30 }), email: `quiet-${Date.now()}@client.test` })
    await ClientPreference.query().where('clientId', quiet.id).update({ consentEmail: false })
    const third = await createPortalAccount(quiet, 'authorized_caregiver')
    const thirdLink = await ClientUserLink.query().where({ clientUserId: third.id, clientId: quiet.id }).firstOrFail()
    await endPortalLink(thirdLink.id, SYSTEM_ACTOR)
    await deliverAll()
    assert.lengthOf(mailTo(quiet.email!), 0)
    const event = await db.from('audit_events').where({ action: 'operator.portal_link.ended', client_id: quiet.id }).firstOrFail()
    assert.equal(event.detail.notice, 'no_email_consent')
    // …and listed for staff with the other messages not sent.
    const withheld = await db.from('audit_events').where({ action: 'system.contact.withheld', client_id: quiet.id }).firstOrFail()
    assert.deepInclude(withheld.detail, { kind: 'access_notice', reason: 'no_email_consent' })
  })

  test('an adult client sets their caregiver\'s level from Account; another client\'s link is a 404 and unchanged', async ({ assert }) => {
    const adult = await createClient({ dateOfBirth: DateTime.now().minus({ years: 35 }) })
    const me = await createPortalAccount(adult, 'self')
    const caregiver = await createPortalAccount(adult, 'authorized_caregiver')
    const link = await ClientUserLink.query().where({ clientUserId: caregiver.id, clientId: adult.id }).firstOrFail()
    const stranger = await createClient({ dateOfBirth: DateTime.now().minus({ years: 35 }) })
    const theirs = await createPortalAccount(stranger, 'authorized_caregiver')
    const theirLink = await ClientUserLink.query().where({ clientUserId: theirs.id, clientId: stranger.id }).firstOrFail()

    const web = await signIn(me)
    const account = await web.get('/portal/account')
    assert.include(account.text, caregiver.displayName)
    assert.include(account.text, `/portal/account/caregivers/${link.id}/level`)

    assert.equal((await web.post(`/portal/account/caregivers/${link.id}/level`, { level: 'appointments' })).status, 302)
    await link.refresh()
    assert.equal(link.accessLevel, 'appointments')

    assert.equal((await web.post(`/portal/account/caregivers/${theirLink.id}/level`, { level: 'appointments' })).status, 404)
    await theirLink.refresh()
    assert.equal(theirLink.accessLevel, 'full')

    // A caregiver cannot change levels, even their own.
    const caregiverWeb = await signIn(caregiver)
    await caregiverWeb.get('/portal/account')
    assert.equal((await caregiverWeb.post(`/portal/account/caregivers/${link.id}/level`, { level: 'full' })).status, 404)
  })

  test('a new parent link to a teen starts at appointments', async ({ assert }) => {
    const teen = await createClient({ dateOfBirth: DateTime.now().minus({ years: 13 }) })
    const child = await createClient({ dateOfBirth: DateTime.now().minus({ years: 8 }) })
    const today = DateTime.now()
    assert.equal(ClientUserLink.defaultLevel('parent', teen, 12, today), 'appointments')
    assert.equal(ClientUserLink.defaultLevel('legal_guardian', teen, 12, today), 'full')
    assert.equal(ClientUserLink.defaultLevel('parent', child, 12, today), 'full')
    assert.equal(ClientUserLink.defaultLevel('parent', teen, 14, today), 'full')
  })

  test('the migration narrows live parents\' links to clients aged 12 to 17 and marks them for review', async ({ assert }) => {
    const years = (n: number) => DateTime.now().minus({ years: n, days: 2 })
    const teen = await createClient({ dateOfBirth: years(15) })
    const child = await createClient({ dateOfBirth: years(9) })
    const adult = await createClient({ dateOfBirth: years(30) })
    const parentOfTeen = await createPortalAccount(teen, 'parent')
    const guardianOfTeen = await createPortalAccount(teen, 'legal_guardian')
    const parentOfChild = await createPortalAccount(child, 'parent')
    const caregiverOfAdult = await createPortalAccount(adult, 'authorized_caregiver')
    const ids = [parentOfTeen, guardianOfTeen, parentOfChild, caregiverOfAdult].map((account) => account.id)

    const trx = await db.transaction()
    try {
      // Down and up again, in a transaction rolled back after (PostgreSQL DDL is transactional).
      await new AddLinkAccessLevels(trx, 'family-access', false).execDown()
      await new AddLinkAccessLevels(trx, 'family-access', false).execUp()
      const rows = await trx.from('client_user_links').whereIn('client_user_id', ids).select('client_user_id', 'access_level', 'level_review_at')
      const byAccount = new Map(rows.map((row) => [Number(row.client_user_id), row]))
      assert.equal(byAccount.get(parentOfTeen.id).access_level, 'appointments')
      assert.isNotNull(byAccount.get(parentOfTeen.id).level_review_at)
      for (const account of [guardianOfTeen, parentOfChild, caregiverOfAdult]) {
        assert.equal(byAccount.get(account.id).access_level, 'full')
        assert.isNull(byAccount.get(account.id).level_review_at)
      }
    } finally {
      await trx.rollback()
    }
  })

  test('the staff dashboard lists parents\' links to review; setting the level clears it', async ({ assert }) => {
    const { teen, link } = await teenFamily()
    await db.from('client_user_links').where('id', link.id).update({ level_review_at: new Date() })
    const admin = await signIn(await createStaff('admin'))
    assert.include((await admin.get('/dashboard')).text, `/clients/${teen.id}#portal-links`)
    const clinician = await signIn(await createStaff('clinician'))
    assert.notInclude((await clinician.get('/dashboard')).text, `/clients/${teen.id}#portal-links`)

    await admin.get(`/clients/${teen.id}`)
    await admin.post(`/portal-settings/links/${link.id}/level`, { level: 'appointments' })
    await link.refresh()
    assert.isNull(link.levelReviewAt)
    assert.notInclude((await admin.get('/dashboard')).text, `/clients/${teen.id}#portal-links`)
  })

  test('staff invite an adult client\'s caregiver; when they pass the identity check the client is told by mail', async ({ assert }) => {
    const adult = await createClient({ dateOfBirth: DateTime.now().minus({ years: 42, days: 10 }), email: uniqueEmail('adult') })
    const { web, email, verified } = await inviteAndVerify(smtp, adult, 'authorized_caregiver')
    assert.equal(verified.location, '/portal/onboarding/profile')
    assert.equal((await web.post('/portal/onboarding/profile', profileForm())).location, '/portal')

    await deliverAll()
    const notices = mailTo(adult.email!)
    assert.lengthOf(notices, 1)
    const [gained] = notices
    assert.include(gained.subject, 'a change to who can see your portal information')
    assert.include(gained.text, 'Jordan Rivera (authorized caregiver) can now sign in to the portal and see some of your information.')
    assert.include(gained.text, 'From now on, Jordan Rivera sees everything and may update contact details.')
    assert.include(gained.text, '/portal/account')
    assert.notInclude(gained.text, email, 'the notice names the person, not their address')
    // Nothing goes to the caregiver about it, and the outcome is audited with the identity check.
    assert.lengthOf(mailTo(email).filter((message) => message.subject.includes('who can see')), 0)
    const event = await db.from('audit_events').where({ action: 'portal.identity.verified', client_id: adult.id }).firstOrFail()
    assert.equal(event.detail.notice, 'queued')
  }).timeout(60_000)

  test('in discreet mode the "gained" notice has the neutral subject', async ({ assert }) => {
    const adult = await createClient({ dateOfBirth: DateTime.now().minus({ years: 33, days: 5 }), email: uniqueEmail('discreet') })
    await ClientPreference.query().where('clientId', adult.id).update({ discreetMode: true })
    const { verified } = await inviteAndVerify(smtp, adult, 'legal_guardian')
    assert.equal(verified.location, '/portal/onboarding/profile')
    await deliverAll()
    const [neutral] = await smtp.waitFor(() => mailTo(adult.email!).length === 1).then(() => mailTo(adult.email!))
    assert.equal(neutral.subject, 'A change to your account')
    assert.notInclude(neutral.subject, 'portal')
  }).timeout(60_000)

  test('a parent invited to a 14-year-old ends on appointments through the real flow, with no Resources link', async ({ assert }) => {
    const teen = await createClient({ dateOfBirth: DateTime.now().minus({ years: 14, days: 20 }), email: null })
    const { resource } = await createSharedResource([teen])
    const { web, email, verified } = await inviteAndVerify(smtp, teen, 'parent')
    assert.equal(verified.location, '/portal/onboarding/profile')
    // The appointments level asks only for the account's language, not the client's details.
    const profile = await web.get('/portal/onboarding/profile')
    assert.notInclude(profile.text, 'name="phone"')
    assert.equal((await web.post('/portal/onboarding/profile', { language: 'en' })).location, '/portal')

    const link = await ClientUserLink.query()
      .where('clientId', teen.id)
      .whereHas('clientUser', (account) => account.where('email', email))
      .firstOrFail()
    assert.equal(link.relationship, 'parent')
    assert.equal(link.accessLevel, 'appointments')
    assert.isNotNull(link.verifiedAt)

    const home = await web.get('/portal')
    assert.equal(home.status, 200)
    assert.notInclude(home.text, '/portal/resources')
    assert.notInclude(home.text, resource.title)
    assert.equal((await web.get('/portal/resources')).status, 404)
    assert.equal((await web.get('/portal/appointments')).status, 200)
  }).timeout(60_000)

  test('disabling a guardian\'s account tells each client they acted for; re-enabling tells them again', async ({ assert }) => {
    const years = (n: number) => DateTime.now().minus({ years: n, days: 4 })
    // The account's own client record (self), an adult they care for, a teen with their own account, and a client who refuses email.
    const own = await createClient({ dateOfBirth: years(45), email: uniqueEmail('own') })
    const adult = await createClient({ dateOfBirth: years(70), email: uniqueEmail('cared-for') })
    const teen = await createClient({ dateOfBirth: years(15), email: null })
    const teenOwn = await createPortalAccount(teen, 'self')
    await ClientPreference.query().where('clientId', teen.id).update({ discreetMode: true })
    const quiet = await createClient({ dateOfBirth: years(50), email: uniqueEmail('quiet') })
    await ClientPreference.query().where('clientId', quiet.id).update({ consentEmail: false })
    const guardian = await createPortalAccount(own, 'self')
    const linkTo = (client: Client, relationship: Relationship, accessLevel: 'full' | 'appointments' = 'full') =>
      ClientUserLink.create({ clientUserId: guardian.id, clientId: client.id, relationship, accessLevel, verifiedAt: DateTime.now(), consentRecordedAt: relationship === 'authorized_caregiver' ? DateTime.now() : null })
    const adultLink = await linkTo(adult, 'authorized_caregiver')
    const teenLink = await linkTo(teen, 'parent', 'appointments')
    const quietLink = await linkTo(quiet, 'legal_guardian')
    // A link that never passed the identity check never gave access: nothing to tell.
    const pendingClient = await createClient({ dateOfBirth: years(60), email: uniqueEmail('pending') })
    await ClientUserLink.create({ clientUserId: guardian.id, clientId: pendingClient.id, relationship: 'legal_guardian', verifiedAt: null })
    // Links that give no access today (the rule of every portal request): a parent's link past the
    // child's 18th birthday, and a client no longer active. Nothing to lose or regain, so no notice.
    const grownUp = await createClient({ dateOfBirth: years(19), email: uniqueEmail('grown-up') })
    await linkTo(grownUp, 'parent')
    const discharged = await createClient({ dateOfBirth: years(40), email: uniqueEmail('discharged'), status: 'discharged' })
    await linkTo(discharged, 'legal_guardian')

    const admin = await createStaff('admin')
    const web = await signIn(admin)
    await web.get('/portal-settings')
    assert.equal((await web.post(`/portal-settings/accounts/${guardian.id}/disable`, {})).status, 302)
    await deliverAll()

    const [ended] = mailTo(adult.email!)
    assert.exists(ended)
    assert.include(ended.subject, 'a change to who can see your portal information')
    assert.include(ended.text, `${guardian.displayName} (authorized caregiver) can no longer see your information in the portal.`)
    const [teenEnded] = mailTo(teenOwn.email)
    assert.exists(teenEnded)
    assert.equal(teenEnded.subject, 'A change to your account', 'the teen chose discreet mode')
    assert.include(teenEnded.text, `${guardian.displayName} (parent) can no longer see your information`)
    assert.lengthOf(mailTo(own.email!), 0, 'nobody is told about their own account')
    assert.lengthOf(mailTo(pendingClient.email!), 0)
    assert.lengthOf(mailTo(quiet.email!), 0)
    assert.lengthOf(mailTo(grownUp.email!), 0, 'a parent link past the 18th birthday gave no access')
    assert.lengthOf(mailTo(discharged.email!), 0, 'a discharged client had no portal access')

    // The account's own event stays as it was; each notified link is audited on its client's record.
    const [disabled] = await db.from('audit_events').where({ action: 'staff.portal_account.disabled', actor_id: admin.id })
    assert.deepEqual(disabled.detail, { accountId: guardian.id })
    const linkEvents = async (action: string) =>
      (await db.from('audit_events').where({ action, actor_id: admin.id }).orderBy('id')).map((row) => ({ clientId: Number(row.client_id), ...row.detail }))
    assert.deepEqual(await linkEvents('staff.portal_link.suspended'), [
      { clientId: adult.id, linkId: adultLink.id, accountId: guardian.id, notice: 'queued' },
      { clientId: teen.id, linkId: teenLink.id, accountId: guardian.id, notice: 'queued' },
      { clientId: quiet.id, linkId: quietLink.id, accountId: guardian.id, notice: 'no_email_consent' },
    ])
    const withheld = await db.from('audit_events').where({ action: 'staff.contact.withheld', client_id: quiet.id })
    assert.isTrue(withheld.some((row) => row.detail.kind === 'access_notice' && row.detail.reason === 'no_email_consent'))

    assert.equal((await web.post(`/portal-settings/accounts/${guardian.id}/enable`, {})).status, 302)
    await deliverAll()
    const adultMail = mailTo(adult.email!)
    assert.lengthOf(adultMail, 2)
    assert.include(adultMail[1].text, `${guardian.displayName} (authorized caregiver) can now sign in to the portal and see some of your information.`)
    assert.include(adultMail[1].text, `From now on, ${guardian.displayName} sees everything and may update contact details.`)
    const teenMail = mailTo(teenOwn.email)
    assert.lengthOf(teenMail, 2)
    assert.equal(teenMail[1].subject, 'A change to your account')
    assert.include(teenMail[1].text, `From now on, ${guardian.displayName} sees appointments only.`)
    assert.lengthOf(mailTo(own.email!), 0)
    assert.lengthOf(mailTo(grownUp.email!), 0)
    assert.lengthOf(mailTo(discharged.email!), 0)
    const [enabled] = await db.from('audit_events').where({ action: 'staff.portal_account.enabled', actor_id: admin.id })
    assert.deepEqual(enabled.detail, { accountId: guardian.id })
    assert.deepEqual(
      (await linkEvents('staff.portal_link.restored')).map(({ clientId, notice }) => [clientId, notice]),
      [[adult.id, 'queued'], [teen.id, 'queued'], [quiet.id, 'no_email_consent']]
    )
    // The audit log reads them as sentences on the client's record.
    const log = await web.get(`/audit-log?clientId=${adult.id}`)
    assert.include(log.text, 'turned off a portal account with access to')
    assert.include(log.text, 'turned back on a portal account with access to')
  }).timeout(60_000)

  test('re-enabling an account that never passed an identity check tells nobody', async ({ assert }) => {
    const adult = await createClient({ dateOfBirth: DateTime.now().minus({ years: 40 }), email: uniqueEmail('never') })
    const account = await createPortalAccount(adult, 'authorized_caregiver', {}, {})
    await ClientUserLink.query().where({ clientUserId: account.id }).update({ verifiedAt: null })
    await db.from('client_users').where('id', account.id).update({ status: 'onboarding' })
    const web = await signIn(await createStaff('admin'))
    await web.get('/portal-settings')
    await web.post(`/portal-settings/accounts/${account.id}/disable`, {})
    await web.post(`/portal-settings/accounts/${account.id}/enable`, {})
    await account.refresh()
    assert.equal(account.status, 'onboarding')
    await deliverAll()
    assert.lengthOf(mailTo(adult.email!), 0)
  })

  test('at the 18th birthday the worker ends a parent\'s link and tells the now-adult client; a 17-year-old\'s stays', async ({ assert }) => {
    const bornYearsAgo = (years: number, days: number) => inPractice(DateTime.now()).startOf('day').minus({ years }).plus({ days })
    const grown = await createClient({ dateOfBirth: bornYearsAgo(18, 0), email: uniqueEmail('eighteen-today') })
    const almost = await createClient({ dateOfBirth: bornYearsAgo(18, 1), email: uniqueEmail('eighteen-tomorrow') })
    const parentOfGrown = await createPortalAccount(grown, 'parent')
    const parentOfAlmost = await createPortalAccount(almost, 'parent')
    // A parent whose account staff had turned off: the client was told then; the link still ends, quietly.
    const alsoGrown = await createClient({ dateOfBirth: bornYearsAgo(18, 0), email: uniqueEmail('eighteen-disabled') })
    const disabledParent = await createPortalAccount(alsoGrown, 'parent')
    await db.from('client_users').where('id', disabledParent.id).update({ status: 'disabled' })
    const linkOf = (account: { id: number }) => ClientUserLink.query().where('client_user_id', account.id).firstOrFail()

    const first = await endParentLinksAtEighteen()
    assert.isAtLeast(first.ended, 1)
    assert.isNotNull((await linkOf(parentOfGrown)).endedAt)
    assert.isNull((await linkOf(parentOfAlmost)).endedAt, 'seventeen until tomorrow')
    await deliverAll()
    const [told] = mailTo(grown.email!)
    assert.exists(told)
    assert.include(told.text, `${parentOfGrown.displayName} (parent) can no longer see your information in the portal.`)
    assert.lengthOf(mailTo(almost.email!), 0)
    assert.isNotNull((await linkOf(disabledParent)).endedAt)
    assert.lengthOf(mailTo(alsoGrown.email!), 0)
    const [event] = await db.from('audit_events').where({ action: 'system.portal_link.ended_at_eighteen', client_id: grown.id })
    assert.deepInclude(event.detail, { accountId: parentOfGrown.id, notice: 'queued' })

    // Once is enough: a second pass (or a second worker) ends nothing more for them.
    await endParentLinksAtEighteen()
    assert.lengthOf(await db.from('audit_events').where({ action: 'system.portal_link.ended_at_eighteen', client_id: grown.id }), 1)
    // Tomorrow the other one is due.
    await endParentLinksAtEighteen({ now: DateTime.now().plus({ days: 1 }) })
    assert.isNotNull((await linkOf(parentOfAlmost)).endedAt)
  })

  test('a client born on 29 February is an adult from 1 March in a year without one, for access and for the worker alike', async ({ assert }) => {
    const leapling = await createClient({ dateOfBirth: DateTime.fromISO('2008-02-29') })
    const on = (iso: string) => DateTime.fromISO(`${iso}T12:00:00`, { zone: inPractice(DateTime.now()).zone })
    assert.isFalse(leapling.isAdultOn(on('2026-02-28')))
    assert.isTrue(leapling.isAdultOn(on('2026-03-01')))
    assert.isTrue(leapling.isAdultOn(on('2027-01-01')))
    const parent = await createPortalAccount(leapling, 'parent')
    await endParentLinksAtEighteen({ now: on('2026-02-28') })
    assert.isNull((await ClientUserLink.query().where('client_user_id', parent.id).firstOrFail()).endedAt)
  })
})

/** Signs in through the real form, as a browser with this user agent. */
async function signInAs(account: { email: string }, userAgent: string, password = PASSWORD) {
  const web = new WebSession()
  web.headers['user-agent'] = userAgent
  await web.get('/portal/login')
  const response = await web.post('/portal/login', { email: account.email, password })
  return { web, response }
}

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'

test.group('Account activity', () => {
  test('shows the account\'s own sign-ins, failed ones included, and no one else\'s', async ({ assert }) => {
    const mine = await createPortalAccount(await createClient())
    const theirs = await createPortalAccount(await createClient())
    await signInAs(mine, SAFARI_IPHONE, 'not-the-password-at-all')
    await signInAs(theirs, 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36')
    const { web, response } = await signInAs(mine, FIREFOX_WINDOWS)
    assert.equal(response.location, '/portal')

    const page = await web.get('/portal/account/activity')
    assert.equal(page.status, 200)
    assert.include(page.text, 'Firefox on Windows, a computer')
    assert.include(page.text, 'Safari on iOS, a phone')
    assert.include(page.text, 'a sign-in that did not succeed')
    assert.notInclude(page.text, 'Chrome')
    assert.notInclude(page.text, 'Linux')
    assert.include(page.text, 'This browser')
  })

  test('a sign-in older than 90 days is not listed; one inside the window is', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    const record = (days: number, userAgent: string) =>
      db.table('audit_events').insert({
        occurred_at: DateTime.now().minus({ days }).toJSDate(),
        actor_kind: 'client_user',
        actor_id: account.id,
        action: 'portal.sign_in',
        user_agent: userAgent,
        detail: JSON.stringify({}),
      })
    await record(91, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0')
    await record(89, 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36')
    const { web } = await signInAs(account, FIREFOX_WINDOWS)

    const page = await web.get('/portal/account/activity')
    assert.equal(page.status, 200)
    assert.include(page.text, 'Sign-ins of the last 90 days')
    assert.include(page.text, 'Firefox on Windows, a computer')
    assert.include(page.text, 'Chrome on Android, a phone')
    assert.notInclude(page.text, 'Edge')
    assert.notInclude(page.text, 'macOS')
  })

  test('"sign out of all other sessions" ends them, their cookies replayed included, and keeps this one', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    const { web: phone } = await signInAs(account, SAFARI_IPHONE)
    const { web: laptop } = await signInAs(account, FIREFOX_WINDOWS)
    assert.equal((await phone.get('/portal')).status, 200)

    const before = await laptop.get('/portal/account/activity')
    assert.include(before.text, 'One other session is open.')
    assert.include(before.text, 'Safari on iOS')

    const ended = await laptop.post('/portal/account/activity/sign-out-others', {})
    assert.equal(ended.status, 302)

    const replayed = await phone.get('/portal')
    assert.equal(replayed.status, 302)
    assert.equal(replayed.location, '/portal/login')

    const after = await laptop.get('/portal/account/activity')
    assert.equal(after.status, 200)
    assert.include(after.text, 'No other session is open.')
    assert.equal((await laptop.get('/portal')).status, 200)
  })
})
