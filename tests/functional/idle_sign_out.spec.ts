import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { shiftableClock } from '#tests/helpers/clock'
import { createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { sessionIdOf, signIn } from '#tests/helpers/sign_in'

test.group('Automatic sign-out after inactivity', () => {
  test('a portal session idle for more than 15 minutes is signed out, calmly', async ({ assert, cleanup }) => {
    const clock = shiftableClock()
    cleanup(() => clock.restore())
    const web = await signIn(await createPortalAccount(await createClient()))
    assert.equal((await web.get('/portal')).status, 200)

    clock.forward({ minutes: 14 })
    assert.equal((await web.get('/portal')).status, 200, '14 minutes is still fine')

    clock.forward({ minutes: 16 })
    const response = await web.get('/portal')
    assert.equal(response.location, '/portal/login')
    const page = await web.get('/portal/login')
    assert.include(page.text, 'signed out after 15 minutes without activity')
    assert.equal((await web.get('/portal')).location, '/portal/login', 'and stays signed out')
  })

  test('a staff session idle for more than 30 minutes is signed out', async ({ assert, cleanup }) => {
    const clock = shiftableClock()
    cleanup(() => clock.restore())
    const web = await signIn(await createStaff('support_staff'))
    clock.forward({ minutes: 29 })
    assert.equal((await web.get('/dashboard')).status, 200)
    clock.forward({ minutes: 31 })
    assert.equal((await web.get('/dashboard')).location, '/login')
    assert.include((await web.get('/login')).text, 'signed out after 30 minutes without activity')
  })

  test('activity moves the idle clock in one-minute steps; a request within the minute writes no session', async ({ assert, cleanup }) => {
    const clock = shiftableClock()
    cleanup(() => clock.restore())
    const web = await signIn(await createPortalAccount(await createClient()))
    assert.equal((await web.get('/portal')).status, 200)
    const sessionId = await sessionIdOf(web)
    const sessionRow = () => db.from('sessions').where('id', sessionId!).select('data', 'expires_at').firstOrFail()
    const before = await sessionRow()

    assert.equal((await web.get('/portal/appointments')).status, 200)
    assert.deepEqual(await sessionRow(), before, 'neither the data nor the expiry was rewritten')

    clock.forward({ minutes: 14 })
    assert.equal((await web.get('/portal')).status, 200)
    const lastSeen = JSON.parse((await sessionRow()).data).message.client_users_last_seen
    assert.closeTo(lastSeen, Date.now(), 10_000, 'the request a minute or more later moved the clock')

    clock.forward({ minutes: 14.5 })
    assert.equal((await web.get('/portal')).status, 200, 'still within 15 minutes of the last recorded activity')
  })

  test('the page tells the browser when the idle notice is due', async ({ assert }) => {
    const web = await signIn(await createPortalAccount(await createClient()))
    const page = await web.get('/portal')
    assert.include(page.text, 'data-idle-minutes="15"')
    assert.include(page.text, 'id="idle-notice"')
  })
})
