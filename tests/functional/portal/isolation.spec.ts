import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import { DateTime } from 'luxon'
import Appointment from '#models/appointment'
import EmergencyContact from '#models/emergency_contact'
import SessionNote from '#models/session_note'
import { beginClientTransaction } from '#portal/client_transaction'
import {
  createAppointment,
  createClient,
  createEmergencyContact,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'

/** Two clients, A and B, each with data of every kind and a unique marker. */
async function twoClients() {
  const provider = await createStaff('clinician')
  const make = async (label: string) => {
    const marker = `Marker-${label}-${Math.random().toString(36).slice(2, 10)}`
    const client = await createClient()
    const account = await createPortalAccount(client)
    const appointment = await createAppointment(client, provider, { location: marker })
    await SessionNote.create({ appointmentId: appointment.id, authorId: provider.id, body: `note ${marker}` })
    const contact = await createEmergencyContact(client, { name: `Contact ${marker}` })
    const { resource } = await createSharedResource([client], { title: `Resource ${marker}` })
    return { client, account, appointment, contact, resource, marker }
  }
  return { a: await make('A'), b: await make('B') }
}

test.group('Portal data isolation', () => {
  test("A's portal user asking for B's data gets 404 and B's rows stay as they were", async ({ assert }) => {
    const { a, b } = await twoClients()
    const web = await signIn(a.account)

    for (const path of [
      `/portal/appointments/${b.appointment.id}`,
      `/portal/appointments/${b.appointment.id}/calendar.ics`,
      `/portal/resources/${b.resource.id}/download`,
      `/portal/account/emergency-contacts/${b.contact.id}/edit`,
      `/portal/account/emergency-contacts/${b.contact.id}/delete`,
    ]) {
      const response = await web.get(path)
      assert.equal(response.status, 404, path)
      assert.notInclude(response.text, b.marker, path)
    }
    await web.get('/portal/account')
    for (const path of [
      `/portal/account/emergency-contacts/${b.contact.id}`,
      `/portal/account/emergency-contacts/${b.contact.id}/delete`,
    ]) {
      const response = await web.post(path, { name: 'Changed', relationship: 'Friend', phone: '+15550109999', priority: '1' })
      assert.equal(response.status, 404, path)
    }
    const contact = await EmergencyContact.findOrFail(b.contact.id)
    assert.equal(contact.name, b.contact.name)
    assert.equal(contact.updatedAt.toMillis(), b.contact.updatedAt.toMillis())

    const refused = await db
      .from('audit_events')
      .where({ action: 'portal.access.refused', actor_id: a.account.id })
      .count('* as n')
    assert.isAtLeast(Number(refused[0].n), 4)
  })

  test("every page shows A's marker and never B's", async ({ assert }) => {
    const { a, b } = await twoClients()
    const web = await signIn(a.account)
    const pages = ['/portal', '/portal/appointments', `/portal/appointments/${a.appointment.id}`, '/portal/resources']
    for (const path of pages) {
      const response = await web.get(path)
      assert.equal(response.status, 200, path)
      assert.notInclude(response.text, b.marker, path)
    }
    assert.include((await web.get('/portal/appointments')).text, a.marker)
    assert.include((await web.get('/portal/resources')).text, a.marker)
  })

  test('inside the portal context an unscoped query sees only the active client, and no session notes', async ({ assert }) => {
    const { a, b } = await twoClients()
    const trx = await beginClientTransaction(a.client.id, 'full')
    try {
      const rows = await Appointment.query({ client: trx }).select('client_id')
      assert.isAbove(rows.length, 0)
      assert.deepEqual([...new Set(rows.map((row) => row.clientId))], [a.client.id])
      const contacts = await trx.from('emergency_contacts').select('client_id')
      assert.deepEqual([...new Set(contacts.map((row) => row.client_id))], [a.client.id])
      const clients = await trx.from('clients').select('id')
      assert.deepEqual(clients.map((row) => row.id), [a.client.id])
      assert.notInclude((await trx.from('resources').select('id')).map((row) => row.id), b.resource.id)
    } finally {
      await trx.rollback()
    }

    for (const table of ['session_notes', 'staff_users', 'client_users', 'client_user_links', 'portal_invitations', 'one_time_tokens', 'sessions', 'audit_events']) {
      const denied = await beginClientTransaction(a.client.id, 'full')
      try {
        const error = await denied.from(table).select('*').limit(1).then(() => null, (failure) => failure)
        assert.match(String(error?.message), /permission denied/, table)
      } finally {
        await denied.rollback()
      }
    }
  })

  test('an unset client id means no rows, not an error', async ({ assert }) => {
    await twoClients()
    const trx = await db.transaction()
    try {
      await trx.rawQuery(`select set_config('role', 'portal_client', true)`)
      assert.lengthOf(await trx.from('appointments').select('id'), 0)
      assert.lengthOf(await trx.from('clients').select('id'), 0)
    } finally {
      await trx.rollback()
    }
  })

  test('after a portal request the pooled connection is the app role again, with no client id', async ({ assert }) => {
    const { a } = await twoClients()
    const config = db.getRawConnection('pg')!.config
    db.manager.add('single', { ...config, pool: { min: 1, max: 1 } })
    const single = db.connection('single')
    try {
      const before = await single.rawQuery('select pg_backend_pid() as pid, current_user as role')
      const trx = await beginClientTransaction(a.client.id, 'full', single)
      const inside = await trx.rawQuery(`select pg_backend_pid() as pid, current_user as role, current_setting('app.client_id', true) as client_id`)
      await trx.commit()
      const after = await single.rawQuery(`select pg_backend_pid() as pid, current_user as role, current_setting('app.client_id', true) as client_id`)

      assert.equal(inside.rows[0].pid, before.rows[0].pid)
      assert.equal(inside.rows[0].role, 'portal_client')
      assert.equal(inside.rows[0].client_id, String(a.client.id))
      assert.equal(after.rows[0].pid, before.rows[0].pid)
      assert.equal(after.rows[0].role, before.rows[0].role)
      assert.include(['', null], after.rows[0].client_id)
    } finally {
      await db.manager.close('single')
      db.manager.release('single')
    }
  })

  test('200 requests of A and B at once over a small pool: each sees only its own data', async ({ assert }) => {
    const { a, b } = await twoClients()
    const [webA, webB] = [await signIn(a.account), await signIn(b.account)]
    const backends = new Map<number, Set<number>>()
    const listener = ({ clientId, backendPid }: { clientId: number; backendPid: number }) => {
      if (clientId !== a.client.id && clientId !== b.client.id) return
      if (!backends.has(backendPid)) backends.set(backendPid, new Set())
      backends.get(backendPid)!.add(clientId)
    }
    emitter.on('portal:transaction_opened', listener)
    try {
      const requests = Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0
          ? webA.get('/portal/appointments').then((response) => ({ response, own: a.marker, other: b.marker }))
          : webB.get('/portal/appointments').then((response) => ({ response, own: b.marker, other: a.marker }))
      )
      for (const { response, own, other } of await Promise.all(requests)) {
        assert.equal(response.status, 200)
        assert.include(response.text, own)
        assert.notInclude(response.text, other)
      }
    } finally {
      emitter.off('portal:transaction_opened', listener)
    }
    assert.isAtMost(backends.size, 5)
    const shared = [...backends.values()].filter((clients) => clients.size === 2)
    assert.isAbove(shared.length, 0, 'some backend served both A and B')
  }).timeout(60_000)
})

test.group('Guardians acting for several clients', () => {
  async function guardianOfTwo() {
    const provider = await createStaff('clinician')
    const older = await createClient({ firstName: `Aa${Date.now()}`, dateOfBirth: DateTime.now().minus({ years: 12 }) })
    const younger = await createClient({ firstName: `Bb${Date.now()}`, dateOfBirth: DateTime.now().minus({ years: 9 }) })
    const markers = { older: `Older-${Math.random().toString(36).slice(2)}`, younger: `Younger-${Math.random().toString(36).slice(2)}` }
    await createAppointment(older, provider, { location: markers.older })
    await createAppointment(younger, provider, { location: markers.younger })
    const guardian = await createPortalAccount([older, younger], 'parent')
    return { older, younger, markers, guardian, web: await signIn(guardian) }
  }

  test('sees only the active child, and switching changes whose data is shown', async ({ assert }) => {
    const { older, younger, markers, web } = await guardianOfTwo()
    const first = await web.get('/portal/appointments')
    assert.include(first.text, markers.older)
    assert.notInclude(first.text, markers.younger)
    assert.include(first.text, `Viewing: <strong>${older.firstName}</strong>`)

    await web.get('/portal/switch')
    const switched = await web.post('/portal/switch', { clientId: String(younger.id) })
    assert.equal(switched.location, '/portal')
    const second = await web.get('/portal/appointments')
    assert.include(second.text, markers.younger)
    assert.notInclude(second.text, markers.older)

    const audited = await db.from('audit_events').where({ action: 'portal.client.switched', client_id: younger.id }).first()
    assert.exists(audited)
  })

  test('cannot switch to a client the account is not linked to', async ({ assert }) => {
    const { web, markers } = await guardianOfTwo()
    const stranger = await createClient()
    await web.get('/portal/switch')
    const response = await web.post('/portal/switch', { clientId: String(stranger.id) })
    assert.equal(response.location, '/portal/switch')
    assert.include((await web.get('/portal/appointments')).text, markers.older)
  })

  test('an ended link removes access on the next request', async ({ assert }) => {
    const { older, guardian, web } = await guardianOfTwo()
    await web.get('/portal') // the older child is the active one now
    await db.from('client_user_links').where({ client_user_id: guardian.id, client_id: older.id }).update({ ended_at: new Date() })
    const response = await web.get('/portal/appointments')
    assert.equal(response.status, 403)
    assert.include(response.text, 'no longer available through this account')
    // The other child is still there on the next request.
    assert.equal((await web.get('/portal/appointments')).status, 200)
  })

  test('a client who is no longer active is not reachable', async ({ assert }) => {
    const { older, web, markers } = await guardianOfTwo()
    await web.get('/portal') // the older child is the active one now
    await db.from('clients').where('id', older.id).update({ status: 'discharged' })
    assert.equal((await web.get('/portal')).status, 403)
    const page = await web.get('/portal/appointments')
    assert.include(page.text, markers.younger)
    assert.notInclude(page.text, markers.older)
  })

  test("a parent's access ends on the child's 18th birthday", async ({ assert }) => {
    const { older, web } = await guardianOfTwo()
    await web.get('/portal')
    const today = DateTime.now().setZone('America/Chicago')
    await db.from('clients').where('id', older.id).update({ date_of_birth: today.minus({ years: 18 }).toISODate() })
    assert.equal((await web.get('/portal')).status, 403)
  })

  test('one day before the 18th birthday the parent still has access', async ({ assert }) => {
    const guardianCase = await guardianOfTwo()
    const today = DateTime.now().setZone('America/Chicago')
    await db
      .from('clients')
      .where('id', guardianCase.older.id)
      .update({ date_of_birth: today.minus({ years: 18 }).plus({ days: 1 }).toISODate() })
    const page = await guardianCase.web.get('/portal/appointments')
    assert.equal(page.status, 200)
    assert.include(page.text, guardianCase.markers.older)
  })
})
