import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import emitter from '@adonisjs/core/services/emitter'
import { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import type { DbQueryEventNode } from '@adonisjs/lucid/types/database'
import type { RouteJSON } from '@adonisjs/core/types/http'
import db from '@adonisjs/lucid/services/db'
import { CLIENT_DATA } from '#portal/client_data'
import { PortalContext } from '#portal/portal_context'
import ClientUser from '#models/client_user'
import ClientUserLink from '#models/client_user_link'
import AppointmentRequest from '#models/appointment_request'
import WaitlistEntry from '#models/waitlist_entry'
import { browserForm, withChanges } from '#tests/helpers/forms'
import { profileForm } from '#tests/helpers/onboarding'
import type { WebSession } from '#tests/helpers/web'
import {
  PASSWORD,
  createAppointment,
  createClient,
  createEmergencyContact,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'

/*
| Every protected portal route (those behind the portalContext middleware),
| GET and POST, runs with a valid body, and every statement it sends to a
| client-data table runs inside the request's RLS transaction. A route with
| no client-data statement at all must be listed below with the reason.
*/

/** Client-data tables: the PortalContext's models, and the provider-name view portal pages join. */
const CLIENT_TABLES = [...new Set(Object.values(CLIENT_DATA).map((model) => model.table)), 'portal_provider_names']
const CLIENT_DATA_SQL = new RegExp(`"(${CLIENT_TABLES.join('|')})"`)
const WRITE_SQL = /^(insert|update|delete)\b/i

/** Protected routes that read and write no client data, and why. */
const NO_CLIENT_DATA: Record<string, string> = {
  'POST portal.sign_in_email.update': "the account's own sign-in email: account machinery (its mails follow the client's discreet mode, which comes with the links)",
  'GET portal.account_activity.show': "the account's own sign-ins and sessions: account machinery",
  'GET portal.active_client.edit': "the people the account may act for: account machinery (each link's discreet mode comes with it)",
  'POST portal.active_client.update': "a switch changes the session and the account's link, not client data",
  'POST portal.sign_in_password.update': "the account's own password: account machinery",
  'POST portal.account_language.update': "the account's own language: account machinery",
  'POST portal.account_activity.sign_out_others': "the account's own sessions: account machinery",
  'POST portal.caregiver_levels.update': "the level of a caregiver's link: account machinery",
}

/** POST routes that read client data, in the request transaction, and write none of it (why). */
const READS_WITHOUT_WRITING: Record<string, string> = {
}

interface Visit {
  /** GET: this path. POST: the page whose form posts to the route. */
  path: string
  /** POST: the form's action, when the page's path does not hold the id the route takes. */
  action?: string
  form?: {
    changes?: Record<string, string>
    /** Boxes a person ticks (entries the page's form does not send unticked). */
    add?: [string, string][]
    pick?: (entries: [string, string][]) => boolean
    /** The submit button pressed, whose name and value the browser sends with the form. */
    press?: [string, string]
  }
  web: 'guardian' | 'onboarding' | 'adult' | 'limited'
  /** The id in the route's pattern, when the page's path does not hold it. */
  id?: number
}

async function portalWorld() {
  const provider = await createStaff('clinician')
  const child = await createClient({ dateOfBirth: DateTime.now().minus({ years: 9 }) })
  const sibling = await createClient({ dateOfBirth: DateTime.now().minus({ years: 7 }) })
  const appointment = await createAppointment(child, provider)
  const { resource } = await createSharedResource([child])
  const kept = await createEmergencyContact(child, { priority: 1 })
  const removed = await createEmergencyContact(child, { priority: 2 })
  const guardian = await createPortalAccount([child, sibling], 'parent')
  const newcomer = await createPortalAccount(await createClient(), 'self', { status: 'onboarding' })
  // An adult client with a caregiver, signed in twice (two sessions: "sign out of all other sessions").
  const adultClient = await createClient({ dateOfBirth: DateTime.now().minus({ years: 40 }) })
  const adult = await createPortalAccount(adultClient, 'self')
  const caregiver = await createPortalAccount(adultClient, 'authorized_caregiver', {}, { accessLevel: 'appointments' })
  const caregiverLink = await ClientUserLink.query().where({ clientUserId: caregiver.id, clientId: adultClient.id }).firstOrFail()
  await signIn(adult)
  const request = await AppointmentRequest.create({ clientId: child.id, clientUserId: guardian.id, kind: 'new', daysOfWeek: 1, partsOfDay: 1, modality: 'in_person' })
  const waiting = await WaitlistEntry.create({ clientId: child.id, providerId: provider.id, appointmentId: appointment.id, clientUserId: guardian.id })
  const guardianWeb = await signIn(guardian)
  // The guardian looks at the child: every id below is the child's.
  await guardianWeb.get('/portal/switch')
  await guardianWeb.post('/portal/switch', { clientId: String(child.id) })
  return {
    child,
    sessions: { guardian: guardianWeb, onboarding: await signIn(newcomer), adult: await signIn(adult), limited: await signIn(caregiver) },
    visits: {
      'GET portal.home': { path: '/portal' },
      'GET portal.active_client.edit': { path: '/portal/switch' },
      'POST portal.active_client.update': {
        path: '/portal/switch',
        form: { pick: (entries) => entries.some(([name, value]) => name === 'clientId' && value === String(child.id)) },
      },
      'GET portal.appointments.index': { path: '/portal/appointments?tab=past' },
      'GET portal.appointments.show': { path: `/portal/appointments/${appointment.id}` },
      'GET portal.appointments.calendar': { path: `/portal/appointments/${appointment.id}/calendar.ics` },
      'GET portal.appointments.actions': { path: `/portal/appointments/${appointment.id}/confirm-or-cancel` },
      'POST portal.appointments.act': {
        path: `/portal/appointments/${appointment.id}/confirm-or-cancel`,
        form: { press: ['choice', 'confirm'] },
      },
      'POST portal.appointments.cancel': { path: `/portal/appointments/${appointment.id}/confirm-or-cancel`, form: {} },
      'GET portal.appointment_requests.index': { path: '/portal/appointment-requests' },
      'GET portal.appointment_requests.create': { path: `/portal/appointment-requests/new?appointment=${appointment.id}` },
      'POST portal.appointment_requests.store': {
        path: '/portal/appointment-requests/new',
        form: { changes: {}, add: [['days[]', 'fri'], ['parts[]', 'evening']] },
      },
      'POST portal.appointment_requests.withdraw': { path: '/portal/appointment-requests', action: `/portal/appointment-requests/${request.id}/withdraw`, form: {} },
      'GET portal.waitlist.create': { path: `/portal/appointments/${appointment.id}/waitlist` },
      'POST portal.waitlist.store': { path: `/portal/appointments/${appointment.id}/waitlist`, action: `/portal/appointments/${appointment.id}/waitlist`, form: {} },
      'POST portal.waitlist.leave': { path: `/portal/appointments/${appointment.id}/waitlist`, action: `/portal/waitlist/${waiting.id}/leave`, form: {} },
      'GET portal.resources.index': { path: '/portal/resources' },
      'GET portal.resources.download': { path: `/portal/resources/${resource.id}/download` },
      'GET portal.account.show': { path: '/portal/account' },
      'POST portal.account_language.update': { path: '/portal/account', form: { changes: { language: 'en' } }, web: 'limited' },
      'GET portal.account_activity.show': { path: '/portal/account/activity' },
      'POST portal.account_activity.sign_out_others': { path: '/portal/account/activity', form: {}, web: 'adult' },
      'POST portal.caregiver_levels.update': {
        path: '/portal/account',
        form: { changes: { level: 'appointments_and_resources' } },
        web: 'adult',
        id: caregiverLink.id,
      },
      'POST portal.contact_details.update': { path: '/portal/account', form: { changes: { city: 'Peoria', phone: '(217) 555-0142' } } },
      'POST portal.preferences.update': { path: '/portal/account', form: { changes: { reminderLeadHours: '2' } } },
      'POST portal.emergency_contacts.store': {
        path: '/portal/account',
        form: { changes: { name: 'Robin Added', relationship: 'Aunt', phone: '+12025550143', priority: '3' } },
      },
      'GET portal.emergency_contacts.edit': { path: `/portal/account/emergency-contacts/${kept.id}/edit` },
      'POST portal.emergency_contacts.update': {
        path: `/portal/account/emergency-contacts/${kept.id}/edit`,
        form: { changes: { name: 'Casey Renamed' } },
      },
      'GET portal.emergency_contacts.confirm_destroy': { path: `/portal/account/emergency-contacts/${removed.id}/delete` },
      'POST portal.emergency_contacts.destroy': { path: `/portal/account/emergency-contacts/${removed.id}/delete`, form: {} },
      'POST portal.sign_in_email.update': {
        path: '/portal/account',
        form: { changes: { newEmail: `moved-${Date.now()}@portal.test`, currentPassword: PASSWORD } },
      },
      // Last of the guardian's: it starts a new session.
      'POST portal.sign_in_password.update': {
        path: '/portal/account',
        form: {
          changes: {
            currentPassword: PASSWORD,
            newPassword: 'quiet-harbor-lantern-58',
            newPassword_confirmation: 'quiet-harbor-lantern-58',
          },
        },
      },
      'GET portal.onboarding.profile_form': { path: '/portal/onboarding/profile', web: 'onboarding' },
      'POST portal.onboarding.profile': { path: '/portal/onboarding/profile', form: { changes: profileForm() }, web: 'onboarding' },
    } as Record<string, Omit<Visit, 'web'> & Partial<Pick<Visit, 'web'>>>,
  }
}

function protectedPortalRoutes() {
  const routes: RouteJSON[] = Object.values(router.toJSON()).flat()
  return routes
    .filter((route) => [...route.middleware.all()].some((entry) => 'name' in entry && entry.name === 'portalContext'))
    .flatMap((route) => route.methods.filter((method) => method !== 'HEAD').map((method) => ({ route, key: `${method} ${route.name}` })))
}

/** Sends the visit as a browser would: a GET, or the page's form for this route, submitted. */
async function send(web: WebSession, route: RouteJSON, visit: Visit) {
  if (!visit.form) return web.get(visit.path)
  const page = await web.get(visit.path)
  const action = visit.action ?? route.pattern.replace(':id', String(visit.id ?? visit.path.match(/\/(\d+)\//)?.[1] ?? ':id'))
  const forms = [0, 1, 2, 3].flatMap((which) => {
    try {
      return [browserForm(page.text, action, which)]
    } catch {
      return []
    }
  })
  const form = forms.find((candidate) => visit.form!.pick?.(candidate.entries) ?? true)
  if (!form) throw new Error(`No form posting to ${action} on ${visit.path}`)
  // A refused form goes back to the page it came from, where its errors show.
  const sent = withChanges(form, visit.form.changes ?? {})
  if (visit.form.press) sent.entries.push(visit.form.press)
  sent.entries.push(...(visit.form.add ?? []))
  return web.send(sent, { referer: new URL(visit.path, web.baseUrl).href })
}

test.group('The PortalContext is the only door to client data', () => {
  test('every protected portal route, GET and POST, runs its client-data statements in the request transaction', async ({
    assert,
  }) => {
    const world = await portalWorld()
    const routes = protectedPortalRoutes()
    assert.sameMembers(
      routes.map(({ key }) => key),
      Object.keys(world.visits),
      'each protected portal route needs a visit here (a new route: add one)'
    )

    const statements = new Map<string, { inside: number; writes: number }>()
    const escaped: string[] = []
    const listener = (query: DbQueryEventNode) => {
      const ctx = HttpContext.get()
      if (!ctx?.route || !CLIENT_DATA_SQL.test(query.sql)) return
      const key = `${ctx.request.method()} ${ctx.route.name}`
      const counts = statements.get(key) ?? { inside: 0, writes: 0 }
      statements.set(key, counts)
      if (query.connection === 'pg' && query.inTransaction) {
        counts.inside++
        if (WRITE_SQL.test(query.sql)) counts.writes++
      } else {
        escaped.push(`${key} (${query.connection}): ${query.sql}`)
      }
    }

    emitter.on('db:query', listener)
    try {
      for (const { route, key } of routes.sort((a, b) => order(a.key) - order(b.key))) {
        const visit = world.visits[key]
        const web = world.sessions[visit.web ?? 'guardian']
        const response = await send(web, route, { web: 'guardian', ...visit })
        assert.isBelow(response.status, 400, `${key}: ${response.status}`)
        if (visit.form) {
          const next = await web.follow(response)
          assert.notInclude(next.text, 'class="error-summary"', `${key}: the form was refused`)
        }
      }
    } finally {
      emitter.off('db:query', listener)
    }

    assert.deepEqual(escaped, [], 'client-data statements outside the request transaction')
    for (const { key } of routes) {
      const counts = statements.get(key)
      if (key in NO_CLIENT_DATA) {
        assert.isUndefined(counts, `${key} is listed as reading no client data, but does: remove it from the list`)
        continue
      }
      assert.isAbove(counts?.inside ?? 0, 0, `${key} ran no client-data statement (list it with the reason if right)`)
      if (key.startsWith('POST ') && !(key in READS_WITHOUT_WRITING)) assert.isAbove(counts!.writes, 0, `${key} wrote nothing`)
    }
  }).timeout(60_000)

  test("opened for an emailed link's client, it sees that client's rows only, and only while access is live", async ({
    assert,
  }) => {
    const provider = await createStaff('clinician')
    const [mine, other] = [await createClient(), await createClient()]
    await createAppointment(mine, provider)
    await createAppointment(other, provider)
    const account = await createPortalAccount(mine)

    const portal = await PortalContext.openFor(account, mine.id)
    assert.exists(portal)
    try {
      const rows = await portal!.query('appointments')
      assert.deepEqual([...new Set(rows.map((row) => row.clientId))], [mine.id])
    } finally {
      await portal!.close({ failed: false })
    }

    assert.isNull(await PortalContext.openFor(account, other.id), 'a client the account has no link to')
    await db.from('client_user_links').where({ client_user_id: account.id }).update({ ended_at: new Date() })
    const fresh = await ClientUser.findOrFail(account.id) // links are read once per account object
    assert.isNull(await PortalContext.openFor(fresh, mine.id), 'an ended link')
  })

  test('ctx.portal fails loudly where no PortalContext was opened', async ({ assert }) => {
    const ctx = { route: { pattern: '/portal/login' }, request: { url: () => '/portal/login' } }
    assert.throws(
      () => Reflect.get(HttpContext.prototype, 'portal', ctx),
      /No PortalContext on \/portal\/login: the route needs middleware.portalContext\(\)/
    )
  })
})

/** The switch and the password change come last: one changes whose data is shown, the other the session. */
function order(key: string) {
  // After every other visit that needs the appointment still scheduled.
  // Joining once the entry seeded for the child was left (the page shows the join form again).
  if (key === 'POST portal.waitlist.store') return 1.2
  if (key === 'POST portal.appointments.cancel') return 1.5
  if (key === 'POST portal.active_client.update') return 2
  if (key === 'POST portal.sign_in_password.update') return 3
  return 1
}
