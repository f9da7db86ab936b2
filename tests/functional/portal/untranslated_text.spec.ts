import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { parseDocument } from 'htmlparser2'
import type { ChildNode } from 'domhandler'
import practice from '#config/practice'
import AppointmentType from '#models/appointment_type'
import AppointmentRequest from '#models/appointment_request'
import OneTimeToken from '#models/one_time_token'
import { issueAppointmentActionLink } from '#actions/appointment_actions/issue_appointment_action_link'
import { PSEUDO_LOCALE } from '#config/i18n'
import { LOCALE_NAMES } from '#support/locales'
import { formatPhoneForDisplay } from '#support/phone'
import {
  createAppointment,
  createClient,
  createEmergencyContact,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'
import { acceptOverHttp, dateParts, invite, outboxLink, pathOf } from '#tests/helpers/onboarding'
import { signIn } from '#tests/helpers/sign_in'
import { WebSession } from '#tests/helpers/web'

/*
| Nothing untranslated: every portal page rendered in the pseudo-locale
| (config/i18n.ts: each English message wrapped in ⟦…⟧) may show, outside
| those marks, only data — names, dates, numbers, the practice's own texts —
| never words of its own. This finds a hard-coded string that a comparison
| of catalog keys cannot.
*/
const PSEUDO = { 'x-test-locale': PSEUDO_LOCALE }

/** Text a person reads: text nodes and the attributes screen readers and browsers show. */
function visibleTexts(html: string) {
  const texts: string[] = []
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type === 'text') texts.push(node.data)
      if (node.type !== 'tag') continue
      if (['script', 'style'].includes(node.name)) continue
      for (const attribute of ['aria-label', 'title', 'placeholder', 'alt']) {
        if (node.attribs[attribute]) texts.push(node.attribs[attribute])
      }
      if (node.name === 'input' && ['submit', 'button'].includes(node.attribs.type ?? '')) texts.push(node.attribs.value ?? '')
      visit(node.children)
    }
  }
  visit(parseDocument(html, { decodeEntities: true }).children)
  return texts
}

const DATE_WORDS =
  /\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|AM|PM|CST|CDT|EST|EDT|MST|MDT|PST|PDT|UTC|GMT)\b/g

/** What is left of a page's words once the translated ones and the data are taken out. */
function untranslated(html: string, data: string[]) {
  const leftovers: string[] = []
  // A translated message may hold markup (`⟦Viewing: <strong>Sam</strong>⟧`) or another
  // message (`⟦⟦Email⟧ (optional)⟧`): take each out whole, innermost first.
  let unwrapped = html
  while (/⟦[^⟦⟧]*⟧/.test(unwrapped)) unwrapped = unwrapped.replace(/⟦[^⟦⟧]*⟧/g, ' ')
  for (const text of visibleTexts(unwrapped)) {
    let rest = text
    for (const value of data) rest = rest.split(value).join(' ')
    rest = rest.replace(DATE_WORDS, ' ')
    if (/\p{L}{2,}/u.test(rest)) leftovers.push(text.trim().replace(/\s+/g, ' ').slice(0, 120))
  }
  return [...new Set(leftovers)]
}

/** A world with one of everything, its data named so it can be told from words. */
async function portalWorld() {
  const provider = await createStaff('clinician')
  const adult = await createClient({ firstName: 'Quorra', lastName: 'Vexley' })
  const child = await createClient({ firstName: 'Zadie', lastName: 'Brook', dateOfBirth: DateTime.now().minus({ years: 9 }) })
  const sibling = await createClient({ firstName: 'Yael', lastName: 'Brook', dateOfBirth: DateTime.now().minus({ years: 7 }) })
  const appointments = [
    await createAppointment(adult, provider, { location: 'Suite 210' }),
    await createAppointment(adult, provider, { startsAt: DateTime.now().minus({ days: 9 }), status: 'completed' }),
    await createAppointment(child, provider, { location: 'Suite 210' }),
  ]
  const { resource } = await createSharedResource([adult, child], { title: 'Breathing Exercises Xq' })
  const contacts = [await createEmergencyContact(adult, { name: 'Casey Okoro' }), await createEmergencyContact(child, { name: 'Robin Okoro' })]
  const client = await createPortalAccount(adult, 'self', { displayName: 'Quorra' })
  const guardian = await createPortalAccount([child, sibling], 'parent', { displayName: 'Jordan' })
  // A caregiver of the adult on the narrowest level (DESIGN §14): the adult's Account lists them.
  const caregiver = await createPortalAccount(adult, 'authorized_caregiver', { displayName: 'Kestrel' }, { accessLevel: 'appointments' })
  // Appointment requests in each state the list shows (issue #19).
  for (const [status, extra] of [
    ['open', { note: 'Quiet note Xq' }],
    ['declined', { declineMessage: 'Practice reply Xq', daysOfWeek: 2 }],
    ['booked', { bookedAppointmentId: appointments[0].id, daysOfWeek: 4, providerId: provider.id }],
    ['withdrawn', { daysOfWeek: 8, kind: 'reschedule' as const, appointmentId: appointments[0].id }],
  ] as const) {
    await AppointmentRequest.create({ clientId: adult.id, clientUserId: client.id, kind: 'new', daysOfWeek: 1, partsOfDay: 7, modality: 'video', status, ...extra })
  }
  const data = [
    practice.name,
    practice.phone,
    formatPhoneForDisplay(practice.phone),
    practice.crisisLineText,
    ...Object.values(LOCALE_NAMES),
    ...[adult, child, sibling].flatMap((person) => [person.firstName, person.lastName, person.email ?? '']),
    'Quorra', 'Jordan', 'Kestrel', 'Suite 210', 'Quiet note Xq', 'Practice reply Xq', 'Breathing Exercises Xq', 'Casey Okoro', 'Robin Okoro',
    client.email, guardian.email, provider.name, provider.name.split(' ')[0],
    resource.originalName,
    ...contacts.map((contact) => contact.relationship),
    ...(await AppointmentType.findMany(appointments.map((appointment) => appointment.appointmentTypeId))).map((type) => type.name),
  ].filter(Boolean)
  return { provider, adult, child, appointments, resource, contacts, client, guardian, caregiver, data }
}

function portalGetRoutes() {
  return Object.values(router.toJSON())
    .flat()
    .filter((route) => route.name?.startsWith('portal.') && route.methods.includes('GET'))
}

test.group('Nothing untranslated on the portal', () => {
  test('every portal page, signed in as a client, as a guardian, and before sign-in, shows only translated words and data', async ({
    assert,
  }) => {
    const world = await portalWorld()
    const visited = new Set<string>()
    const found: Record<string, string[]> = {}
    const check = async (web: WebSession, name: string, path: string, status = 200) => {
      const response = await web.get(path)
      assert.equal(response.status, status, `${name} ${path}: ${response.status} ${response.location ?? ''}`)
      visited.add(name)
      const words = untranslated(response.text, world.data)
      if (words.length) found[`${name} ${path}`] = words
      return response
    }
    const session = async (account: Parameters<typeof signIn>[0]) => {
      const web = await signIn(account)
      web.headers = PSEUDO
      return web
    }

    // Signed in: the adult client, then the guardian (the switcher, "Viewing:").
    const client = await session(world.client)
    const [upcoming, past] = world.appointments
    const signedIn: Record<string, string> = {
      'portal.home': '/portal',
      'portal.appointments.index': '/portal/appointments',
      'portal.appointments.show': `/portal/appointments/${upcoming.id}`,
      'portal.appointments.actions': `/portal/appointments/${upcoming.id}/confirm-or-cancel`,
      'portal.appointment_requests.index': '/portal/appointment-requests',
      'portal.appointment_requests.create': '/portal/appointment-requests/new',
      'portal.resources.index': '/portal/resources',
      'portal.account.show': '/portal/account',
      'portal.account_activity.show': '/portal/account/activity',
      'portal.emergency_contacts.edit': `/portal/account/emergency-contacts/${world.contacts[0].id}/edit`,
      'portal.emergency_contacts.confirm_destroy': `/portal/account/emergency-contacts/${world.contacts[0].id}/delete`,
    }
    for (const [name, path] of Object.entries(signedIn)) await check(client, name, path)
    await check(client, 'portal.appointment_requests.create', `/portal/appointment-requests/new?appointment=${upcoming.id}`)
    await check(client, 'portal.appointments.index', '/portal/appointments?tab=past')
    await check(client, 'portal.appointments.show', `/portal/appointments/${past.id}`)
    // A past appointment: nothing left to confirm or cancel.
    await check(client, 'portal.appointments.actions', `/portal/appointments/${past.id}/confirm-or-cancel`)
    // The waitlist: the form to join, then the entry with "leave".
    await check(client, 'portal.waitlist.create', `/portal/appointments/${upcoming.id}/waitlist`)
    await client.post(`/portal/appointments/${upcoming.id}/waitlist`, { 'days[]': ['mon'], 'parts[]': ['morning'] })
    await check(client, 'portal.waitlist.create', `/portal/appointments/${upcoming.id}/waitlist`)

    const guardian = await session(world.guardian)
    for (const path of ['/portal', '/portal/appointments', '/portal/resources', '/portal/account']) {
      await check(guardian, 'guardian', path)
    }
    await check(guardian, 'portal.active_client.edit', '/portal/switch')

    // A caregiver on `appointments`: no resources, and an Account with the language only.
    const caregiver = await session(world.caregiver)
    for (const path of ['/portal', '/portal/account', '/portal/account/activity']) {
      await check(caregiver, 'caregiver', path)
    }

    // Before sign-in: the public pages, and each emailed link's page.
    const visitor = new WebSession()
    visitor.headers = PSEUDO
    for (const [name, path] of Object.entries({
      'portal.session.create': '/portal/login',
      'portal.password_resets.create': '/portal/forgot-password',
      'portal.password_resets.sent': '/portal/forgot-password/sent',
      'portal.safety.show': '/portal/safety',
    })) {
      await check(visitor, name, path)
    }
    await check(visitor, 'link invalid', '/portal/reset-password/not-a-real-token', 404)
    await check(visitor, 'not found', '/portal/no-such-page', 404)
    // "Leave this site" answers with a redirect to the practice's neutral address (no page, no words).
    await check(new WebSession(), 'portal.quick_exit', '/portal/leave', 303)

    await visitor.get('/portal/forgot-password')
    await visitor.post('/portal/forgot-password', { email: world.client.email })
    await check(visitor, 'portal.password_resets.edit', pathOf(await outboxLink('password_reset', world.client.email)))

    const invited = await invite(await createClient({ firstName: 'Wren', lastName: 'Ashby', dateOfBirth: DateTime.fromISO('1991-03-05') }))
    world.data.push('Wren', 'Ashby', invited.email)
    const newcomer = new WebSession()
    newcomer.headers = PSEUDO
    await check(newcomer, 'portal.invitations.show', invited.path)
    await acceptOverHttp(invited.path, undefined, newcomer)
    await check(newcomer, 'portal.onboarding.verify_form', '/portal/onboarding/verify')
    await newcomer.post('/portal/onboarding/verify', dateParts('1991-03-05'))
    await check(newcomer, 'portal.onboarding.profile_form', '/portal/onboarding/profile')

    await client.get('/portal/account')
    const newEmail = `moved-${Date.now()}@example.test`
    await client.post('/portal/account/sign-in-email', { _form: 'sign-in-email', newEmail, currentPassword: 'a-long-test-password-42' })
    world.data.push(newEmail)
    await check(visitor, 'portal.sign_in_email.confirmation', pathOf(await outboxLink('email_change_confirm', newEmail)))

    // The emailed "Confirm / I can't make it" link, with details (consent) so every row shows.
    await db.from('client_preferences').where({ client_id: world.adult.id }).update({ consent_details_in_email: true })
    const actionLink = await issueAppointmentActionLink({ appointmentId: upcoming.id, recipient: { clientUserId: world.client.id } })
    await check(visitor, 'portal.appointment_actions.show', pathOf(actionLink!))

    // An emailed offer of an earlier time (the waitlist), before anyone took it.
    const entry = await db.from('waitlist_entries').where({ client_id: world.adult.id }).first()
    const slotStart = DateTime.now().plus({ days: 2 }).startOf('hour')
    const [slot] = await db.table('waitlist_slots').insert({
      freed_appointment_id: past.id, provider_id: upcoming.providerId, starts_at: slotStart.toISO(), ends_at: slotStart.plus({ minutes: 50 }).toISO(),
    }).returning('id')
    const offerToken = OneTimeToken.generate()
    await db.table('waitlist_offers').insert({
      slot_id: slot.id, entry_id: entry.id, client_id: world.adult.id, wave: 1, token_hash: offerToken.tokenHash,
      client_user_id: world.client.id, starts_at: slotStart.toISO(), expires_at: slotStart.minus({ hours: 12 }).toISO(),
    })
    await check(visitor, 'portal.waitlist_offers.show', `/portal/waitlist-offers/${offerToken.token}`)

    // The calm page of a guardian whose access just ended.
    await db.from('client_user_links').where({ client_user_id: world.guardian.id }).update({ ended_at: new Date() })
    await check(guardian, 'access ended', '/portal', 403)

    assert.deepEqual(found, {}, 'text outside the catalogs')
    const pages = portalGetRoutes()
      .map((route) => route.name!)
      .filter((name) => !['portal.resources.download', 'portal.appointments.calendar', 'portal.language.update', 'portal.onboarding.show'].includes(name))
    assert.sameMembers(pages.filter((name) => !visited.has(name)), [], 'portal pages this test did not open')
  }).timeout(120_000)

  test('the check finds a hard-coded word', ({ assert }) => {
    assert.deepEqual(untranslated('<p>⟦Your next appointment⟧ Thursday, December 10, 2026, 9:00 AM CST</p>', []), [])
    assert.deepEqual(untranslated('<p>⟦Your appointments⟧ Upcoming</p>', []), ['Upcoming'])
    assert.deepEqual(untranslated('<button aria-label="Close">⟦x⟧</button>', []), ['Close'])
    assert.deepEqual(untranslated('<p>Quorra</p>', ['Quorra']), [])
    assert.deepEqual(untranslated('<label>⟦⟦Email⟧ (optional)⟧</label>', []), [])
  })
})
