import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createAppointment, createClient, createPortalAccount, createSharedResource, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'

/*
| The portal home shows the next appointment and what was shared lately, so
| opening it is audited like every other page that shows client
| information: once per view, never for an htmx piece or a history restore.
*/
test.group('Portal home: audited', () => {
  test('each view writes one event (ids and counts only); htmx requests and history restores write none', async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client)
    const appointment = await createAppointment(client, await createStaff('clinician'))
    await createSharedResource([client])
    const web = await signIn(account)
    const events = () =>
      db.from('audit_events').where({ action: 'portal.home.viewed', actor_kind: 'client_user', actor_id: account.id }).orderBy('id')

    assert.equal((await web.get('/portal')).status, 200)
    let rows = await events()
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].client_id, client.id)
    assert.deepEqual(rows[0].detail, { appointmentId: appointment.id, resourceCount: 1 })

    await web.get('/portal', { 'HX-Request': 'true' })
    await web.get('/portal', { 'HX-Request': 'true', 'HX-History-Restore-Request': 'true' })
    assert.lengthOf(await events(), 1)

    await web.get('/portal')
    rows = await events()
    assert.lengthOf(rows, 2)
  })

  test('a guardian viewing someone else: the event names the client on screen', async ({ assert }) => {
    const [first, second] = [await createClient({ firstName: 'Ada' }), await createClient({ firstName: 'Zed' })]
    const account = await createPortalAccount([first, second], 'legal_guardian')
    const web = await signIn(account)
    await web.get('/portal')
    await web.get('/portal/switch')
    await web.post('/portal/switch', { clientId: String(second.id) })
    await web.get('/portal')
    const rows = await db.from('audit_events').where({ action: 'portal.home.viewed', actor_id: account.id }).orderBy('id')
    assert.deepEqual(
      rows.map((row) => row.client_id),
      [first.id, second.id]
    )
    assert.deepEqual(rows[1].detail, { appointmentId: null, resourceCount: 0 })
  })
})
