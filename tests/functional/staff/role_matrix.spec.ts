import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import { isPortalPath } from '#services/surfaces'
import { WebSession } from '#tests/helpers/web'
import {
  createAppointment,
  createClient,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import ResourceCategory from '#models/resource_category'
import AppointmentType from '#models/appointment_type'
import WaitlistEntry from '#models/waitlist_entry'

/*
| The access matrix of DESIGN §2, checked against the router itself: every
| registered route outside the portal must be listed here, with what each
| of the four staff roles, an anonymous visitor and a signed-in portal user
| get. A new route without a line here fails the test.
|
|   ok         the page or action is open to them (any status below 400)
|   forbidden  the calm 403 page
|   not_found  404: a clinician asking for a client outside their caseload
|   login      302 to /login          portal     302 to /portal (GET) / 403 (other methods)
|   dashboard  302 to /dashboard (a sign-in page, already signed in)
*/
type Outcome = 'ok' | 'forbidden' | 'not_found' | 'login' | 'portal' | 'dashboard'
type Actor = 'ceo' | 'admin' | 'support_staff' | 'clinician' | 'anonymous' | 'portal_user'
type Row = Record<Actor, Outcome>

const staffOnly = (ceo: Outcome, admin: Outcome, support: Outcome, clinician: Outcome): Row => ({
  ceo,
  admin,
  support_staff: support,
  clinician,
  anonymous: 'login',
  portal_user: 'portal',
})
const everyone = staffOnly('ok', 'ok', 'ok', 'ok')
const caseload = staffOnly('ok', 'ok', 'ok', 'not_found')
const officeOnly = staffOnly('ok', 'ok', 'ok', 'forbidden')
const leadership = staffOnly('ok', 'ok', 'forbidden', 'forbidden')
const publicPage: Row = { ceo: 'ok', admin: 'ok', support_staff: 'ok', clinician: 'ok', anonymous: 'ok', portal_user: 'portal' }
const deadLink: Row = { ceo: 'not_found', admin: 'not_found', support_staff: 'not_found', clinician: 'not_found', anonymous: 'not_found', portal_user: 'portal' }
// The development mailbox: registered everywhere, answering only in development.
const devOnly: Row = { ceo: 'not_found', admin: 'not_found', support_staff: 'not_found', clinician: 'not_found', anonymous: 'not_found', portal_user: 'not_found' }
const signInPage: Row = { ceo: 'dashboard', admin: 'dashboard', support_staff: 'dashboard', clinician: 'dashboard', anonymous: 'ok', portal_user: 'portal' }

const MATRIX: Record<string, Row> = {
  'GET /': publicPage,
  'GET /health': { ...publicPage, portal_user: 'ok' },
  'GET /login': signInPage,
  'POST /login': signInPage,
  // The code step exists only after a correct password (a pending marker in the session).
  'GET /login/two-factor': { ...signInPage, anonymous: 'login' },
  'POST /login/two-factor': { ...signInPage, anonymous: 'login' },
  'GET /forgot-password': publicPage,
  'POST /forgot-password': publicPage,
  'GET /forgot-password/sent': publicPage,
  // With an unknown token: the calm "this link no longer works" page, as a 404.
  'GET /reset-password/:token': deadLink,
  'POST /reset-password/:token': deadLink,
  'GET /staff/invitations/:token': deadLink,
  'POST /staff/invitations/:token': deadLink,

  'GET /dashboard': everyone,
  'GET /staff/two-factor': everyone,
  'GET /staff/two-factor/setup': everyone,
  'POST /staff/two-factor/setup': everyone,
  'GET /staff/video-room': everyone,
  'POST /staff/video-room': everyone,

  'GET /clients': everyone,
  'POST /clients/search': everyone,
  // The client picker: an empty search goes back to the form; each purpose checks its form's area (client_picker.spec.ts).
  'POST /clients/picker': everyone,
  'POST /clients/search/clear': everyone,
  'GET /clients/new': officeOnly,
  'POST /clients': officeOnly,
  'GET /clients/:id': caseload,
  'GET /clients/:id/edit': caseload,
  'POST /clients/:id': caseload,
  // Contact rules: office staff; a clinician may see a caseload client's, not edit them (403), others 404.
  'POST /clients/:id/contact-rules': caseload,

  'GET /appointments': everyone,
  'GET /appointments/new': everyone,
  'GET /appointments/calendar': everyone,
  'POST /appointments': everyone,
  'GET /appointments/:id': caseload,
  'GET /appointments/:id/edit': caseload,
  'POST /appointments/:id': caseload,
  'POST /appointments/:id/cancel': caseload,
  'POST /appointments/:id/outcome': caseload,
  // Session notes: the appointment's provider only (the provider here is none of the actors).
  'POST /appointments/:id/note': staffOnly('forbidden', 'forbidden', 'forbidden', 'not_found'),
  // Appointment requests: everyone on the appointments side (a clinician sees those that name her).
  'GET /appointments/requests': everyone,
  'POST /appointments/requests/:id/decline': everyone,
  // The waitlist: everyone on the appointments side sees it (a clinician her own); removing another clinician's entry is a 404.
  'GET /appointments/waitlist': everyone,
  'POST /appointments/waitlist/:id/remove': caseload,
  // "Offer an earlier time" from an appointment: as rescheduling (the fixture's client is already waiting: a calm notice).
  'POST /appointments/:id/waitlist': caseload,
  'GET /appointments/types': leadership,
  'POST /appointments/types': leadership,
  'GET /appointments/types/:id/edit': leadership,
  'POST /appointments/types/:id': leadership,
  'POST /appointments/types/:id/deactivate': leadership,
  'POST /appointments/types/:id/activate': leadership,

  'GET /resource-library': officeOnly,
  'GET /resource-library/new': officeOnly,
  'POST /resource-library': officeOnly,
  'GET /resource-library/categories': officeOnly,
  'POST /resource-library/categories': officeOnly,
  'POST /resource-library/categories/order': officeOnly,
  'GET /resource-library/categories/:id/edit': officeOnly,
  'POST /resource-library/categories/:id/rename': officeOnly,
  'GET /resource-library/:id': officeOnly,
  'POST /resource-library/:id/details': officeOnly,
  'POST /resource-library/:id/archive': officeOnly,
  'POST /resource-library/:id/unarchive': officeOnly,
  'GET /resource-library/:id/download': officeOnly,
  'POST /resource-library/:id/share-search': officeOnly,
  'POST /resource-library/:id/shares': officeOnly,
  'POST /resource-library/:id/shares/:clientId/unshare': officeOnly,

  'GET /portal-settings': leadership,
  'POST /portal-settings/practice': leadership,
  'POST /portal-settings/invitations': leadership,
  'POST /portal-settings/invitations/:id/resend': leadership,
  'POST /portal-settings/invitations/:id/revoke': leadership,
  'POST /portal-settings/accounts/:id/disable': leadership,
  'POST /portal-settings/accounts/:id/enable': leadership,
  'POST /portal-settings/links/:id/end': leadership,
  'POST /portal-settings/links/:id/level': leadership,
  'POST /portal-settings/mail/:id/retry': leadership,

  'GET /staff': leadership,
  'POST /staff/invitations': leadership,
  'POST /staff/:id/role': leadership,
  'POST /staff/:id/deactivate': leadership,
  'POST /staff/:id/reactivate': leadership,
  'POST /staff/:id/resend': leadership,
  'GET /staff/:id/video-room': leadership,
  'POST /staff/:id/video-room': leadership,

  'GET /audit-log': leadership,
  'GET /insights': staffOnly('ok', 'ok', 'forbidden', 'ok'),
  'GET /insights/outreach': staffOnly('ok', 'ok', 'forbidden', 'ok'),
  'GET /insights/export.csv': leadership,
  'GET /audit-log/export': leadership,
  'GET /dev/mailbox': devOnly,
  'GET /dev/mailbox/:id': devOnly,
  'GET /dev/mailbox/:id/raw': devOnly,
  // Checked on its own below: it ends the session the other rows need.
  'POST /logout': everyone,
}

/** Every route outside the portal that the router has, as "METHOD pattern". */
function staffSideRoutes() {
  return router
    .toJSON()
    .root.filter((route) => !isPortalPath(route.pattern))
    .flatMap((route) => route.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${route.pattern}`))
}

function outcomeOf(status: number, location: string | null): Outcome {
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 302 && location === '/login') return 'login'
  if (status === 302 && location === '/portal') return 'portal'
  if (status === 302 && location === '/dashboard') return 'dashboard'
  return status < 400 ? 'ok' : 'forbidden'
}

test.group('Access matrix of the staff side', () => {
  test('every staff-side route of the router is in the matrix', async ({ assert }) => {
    const missing = staffSideRoutes().filter((route) => !MATRIX[route])
    assert.deepEqual(missing, [], `Add these routes to the matrix: ${missing.join(', ')}`)
  })

  test('each role, anonymous visitors and portal users get what the matrix says', async ({ assert }) => {
    // Fixtures: nothing here is in the clinician's caseload, and no actor is anyone's provider.
    const provider = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: provider.id })
    const appointment = await createAppointment(client, provider)
    const waiting = await WaitlistEntry.create({ clientId: client.id, providerId: provider.id, appointmentId: appointment.id })
    const { resource } = await createSharedResource([client])
    const category = await ResourceCategory.create({ name: `Matrix ${Date.now()}`, position: 99 })
    const appointmentType = await AppointmentType.create({ name: `Matrix type ${Date.now()}`, defaultMinutes: 30 })
    const target = await createStaff('clinician')
    const linkedAccount = await createPortalAccount(await createClient())
    const [link] = await db.from('client_user_links').where('client_user_id', linkedAccount.id).select('id')
    const [invitation] = await db
      .table('portal_invitations')
      .insert({
        client_id: client.id,
        email: `matrix-${Date.now()}@invited.test`,
        relationship: 'self',
        token_hash: `matrix-${Date.now()}-${Math.random()}`,
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .returning('id')
    const [mail] = await db
      .table('mail_messages')
      .insert({
        template: 'test_message',
        recipient: 'matrix@mail.test',
        subject: 'Matrix',
        data: '{}',
        message_id: `<matrix-${Date.now()}@test>`,
        status: 'failed',
        attempts: 8,
        next_attempt_at: new Date(),
      })
      .returning('id')

    const idFor = (pattern: string, name: string) => {
      if (name === 'token') return 'no-such-token'
      if (name === 'clientId') return client.id
      if (pattern.startsWith('/clients/')) return client.id
      if (pattern.startsWith('/appointments/types/')) return appointmentType.id
      if (pattern.startsWith('/appointments/waitlist/')) return waiting.id
      if (pattern.startsWith('/appointments/')) return appointment.id
      if (pattern.startsWith('/resource-library/categories/')) return category.id
      if (pattern.startsWith('/resource-library/')) return resource.id
      if (pattern.startsWith('/portal-settings/invitations/')) return invitation.id
      if (pattern.startsWith('/portal-settings/accounts/')) return linkedAccount.id
      if (pattern.startsWith('/portal-settings/links/')) return link.id
      if (pattern.startsWith('/portal-settings/mail/')) return mail.id
      if (pattern.startsWith('/staff/')) return target.id
      if (pattern.startsWith('/dev/mailbox/')) return 'no-such-mail'
      throw new Error(`No fixture for :${name} in ${pattern}`)
    }
    const urlOf = (pattern: string) => pattern.replace(/:(\w+)/g, (_, name) => String(idFor(pattern, name)))

    const sessions: Record<Actor, () => Promise<WebSession>> = {
      ceo: async () => signIn(await createStaff('ceo')),
      admin: async () => signIn(await createStaff('admin')),
      support_staff: async () => signIn(await createStaff('support_staff')),
      clinician: async () => signIn(await createStaff('clinician')),
      anonymous: async () => new WebSession(),
      portal_user: async () => signIn(await createPortalAccount(await createClient())),
    }

    const mismatches: string[] = []
    for (const actor of Object.keys(sessions) as Actor[]) {
      const web = await sessions[actor]()
      for (const route of staffSideRoutes()) {
        if (route === 'POST /logout') continue
        const [method, pattern] = route.split(' ')
        const url = urlOf(pattern)
        let response
        if (method === 'GET') {
          response = await web.get(url)
        } else {
          await web.get(actor === 'portal_user' ? '/portal' : actor === 'anonymous' ? '/login' : '/dashboard')
          response = await web.post(url, {})
        }
        const got = outcomeOf(response.status, response.location)
        const expected = MATRIX[route][actor]
        const portalPost = actor === 'portal_user' && method !== 'GET' && expected === 'portal'
        if (portalPost ? response.status !== 403 : got !== expected) {
          mismatches.push(`${actor} ${route}: expected ${portalPost ? '403' : expected}, got ${response.status} ${response.location ?? ''}`)
        }
      }
    }
    assert.deepEqual(mismatches, [], mismatches.join('\n'))
  }).timeout(240_000)

  test('signing out works for every role', async ({ assert }) => {
    for (const role of ['ceo', 'admin', 'support_staff', 'clinician'] as const) {
      const web = await signIn(await createStaff(role))
      await web.get('/dashboard')
      const response = await web.post('/logout')
      assert.equal(response.location, '/login', role)
      assert.equal((await web.get('/dashboard')).location, '/login', role)
    }
  }).timeout(60_000)
})
