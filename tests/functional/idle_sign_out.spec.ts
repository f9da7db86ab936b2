import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { WebSession } from '#tests/helpers/web'
import { createClient, createPortalAccount, createStaff, signedInPortal, signedInStaff } from '#tests/helpers/factories'

/** The session id inside the signed session cookie ("s:" + base64url JSON + "." + signature). */
function sessionIdOf(web: WebSession) {
  const cookie = decodeURIComponent(web.sessionId!)
  const payload = cookie.replace(/^s:/, '').split('.')[0]
  return JSON.parse(Buffer.from(payload, 'base64url').toString()).message as string
}

/** Moves the session's last activity back in time, as if the person had walked away. */
async function idleFor(web: WebSession, key: string, minutes: number) {
  await db.rawQuery(
    `update sessions set data = jsonb_set(data::jsonb, ?, to_jsonb(?::bigint))::text where id = ?`,
    [`{message,${key}}`, Date.now() - minutes * 60_000, sessionIdOf(web)]
  )
}

test.group('Automatic sign-out after inactivity', () => {
  test('a portal session idle for more than 15 minutes is signed out, calmly', async ({ assert }) => {
    const web = await signedInPortal(await createPortalAccount(await createClient()))
    assert.equal((await web.get('/portal')).status, 200)

    await idleFor(web, 'client_users_last_seen', 14)
    assert.equal((await web.get('/portal')).status, 200, '14 minutes is still fine')

    await idleFor(web, 'client_users_last_seen', 16)
    const response = await web.get('/portal')
    assert.equal(response.location, '/portal/login')
    const page = await web.get('/portal/login')
    assert.include(page.text, 'signed out after 15 minutes without activity')
    assert.equal((await web.get('/portal')).location, '/portal/login', 'and stays signed out')
  })

  test('a staff session idle for more than 30 minutes is signed out', async ({ assert }) => {
    const web = await signedInStaff(await createStaff('support_staff'))
    await idleFor(web, 'staff_last_seen', 29)
    assert.equal((await web.get('/dashboard')).status, 200)
    await idleFor(web, 'staff_last_seen', 31)
    assert.equal((await web.get('/dashboard')).location, '/login')
    assert.include((await web.get('/login')).text, 'signed out after 30 minutes without activity')
  })

  test('activity moves the idle clock in one-minute steps; a request within the minute writes no session', async ({ assert }) => {
    const web = await signedInPortal(await createPortalAccount(await createClient()))
    assert.equal((await web.get('/portal')).status, 200)
    const sessionRow = () => db.from('sessions').where('id', sessionIdOf(web)).select('data', 'expires_at').firstOrFail()
    const before = await sessionRow()

    assert.equal((await web.get('/portal/appointments')).status, 200)
    assert.deepEqual(await sessionRow(), before, 'neither the data nor the expiry was rewritten')

    await idleFor(web, 'client_users_last_seen', 14)
    assert.equal((await web.get('/portal')).status, 200)
    const lastSeen = JSON.parse((await sessionRow()).data).message.client_users_last_seen
    assert.closeTo(lastSeen, Date.now(), 10_000, 'the request a minute or more later moved the clock')

    await idleFor(web, 'client_users_last_seen', 14.5)
    assert.equal((await web.get('/portal')).status, 200, 'still within 15 minutes of the last recorded activity')
  })

  test('the page tells the browser when the idle notice is due', async ({ assert }) => {
    const web = await signedInPortal(await createPortalAccount(await createClient()))
    const page = await web.get('/portal')
    assert.include(page.text, 'data-idle-minutes="15"')
    assert.include(page.text, 'id="idle-notice"')
  })
})
