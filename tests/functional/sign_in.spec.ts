import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { WebSession, withoutCsrf } from '#tests/helpers/web'
import { PASSWORD, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { completeSecondFactor, signInThroughForm } from '#tests/helpers/sign_in'

const sides = [
  { name: 'staff', loginPath: '/login', home: '/dashboard', account: () => createStaff('support_staff') },
  {
    name: 'portal',
    loginPath: '/portal/login',
    home: '/portal',
    account: async () => createPortalAccount(await createClient()),
  },
]

test.group('Sign-in', () => {
  for (const side of sides) {
    test(`${side.name}: the right password signs in and lands on ${side.home}`, async ({ assert }) => {
      const account = await side.account()
      const web = new WebSession()
      await web.get(side.loginPath)
      const response = await web.post(side.loginPath, { email: account.email.toUpperCase(), password: PASSWORD })
      assert.equal(response.status, 302)
      assert.equal(response.location, side.home)

      const home = await web.get(side.home)
      assert.equal(home.status, 200)
      assert.equal(home.headers.get('cache-control'), 'no-store')
    })

    test(`${side.name}: wrong password and unknown email give the same page`, async ({ assert }) => {
      const account = await side.account()

      const pageAfter = async (email: string) => {
        const web = new WebSession()
        await web.get(side.loginPath)
        const response = await web.post(side.loginPath, { email, password: 'not-the-password-at-all' })
        assert.equal(response.location, side.loginPath)
        // The page echoes what the person typed; everything else must be identical.
        return withoutCsrf((await web.get(side.loginPath)).text).replaceAll(email, '<typed email>')
      }

      const wrongPassword = await pageAfter(account.email)
      const unknownEmail = await pageAfter(`nobody-${Date.now()}@nowhere.test`)
      assert.include(wrongPassword, 'did not match an account that can sign in')
      assert.equal(wrongPassword, unknownEmail)
    })
  }

  test('signing in and out are audited', async ({ assert }) => {
    const staff = await createStaff('clinician')
    const web = await signInThroughForm(staff)
    await web.post('/logout')
    const actions = await db
      .from('audit_events')
      .where({ actor_kind: 'staff', actor_id: staff.id })
      .orderBy('id')
      .select('action')
    assert.deepEqual(
      actions.map((row) => row.action),
      ['staff.sign_in', 'staff.sign_out']
    )
  })

  test('a disabled portal account cannot sign in, with the same generic message', async ({ assert }) => {
    const account = await createPortalAccount(await createClient(), 'self', { status: 'disabled' })
    const web = new WebSession()
    await web.get('/portal/login')
    const response = await web.post('/portal/login', { email: account.email, password: PASSWORD })
    assert.equal(response.location, '/portal/login')
    const page = await web.get('/portal/login')
    assert.include(page.text, 'did not match an account that can sign in')
  })

  test('the session id held before sign-in is not signed in afterwards (no fixation)', async ({ assert }) => {
    const staff = await createStaff('admin')
    const web = new WebSession()
    await web.get('/login')
    const before = web.sessionId
    assert.isNotNull(before)

    await web.post('/login', { email: staff.email, password: PASSWORD })
    assert.notEqual(web.sessionId, before)
    await completeSecondFactor(web, staff)
    assert.notEqual(web.sessionId, before)
    assert.equal((await web.get('/dashboard')).status, 200)

    const attacker = new WebSession()
    attacker.cookies.set('careincite_session', before!)
    const replay = await attacker.get('/dashboard')
    assert.equal(replay.status, 302)
    assert.equal(replay.location, '/login')
  })

  test('sign-out ends the session, and the old page is gone', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    const web = await signInThroughForm(account)
    await web.post('/portal/logout')
    const after = await web.get('/portal')
    assert.equal(after.status, 302)
    assert.equal(after.location, '/portal/login')
  })
})

test.group('Sign-in throttling', () => {
  for (const side of sides) {
    test(`${side.name}: after repeated failures a known and an unknown email are paused alike`, async ({ assert }) => {
      const account = await side.account()
      const unknown = `nobody-${Date.now()}-${side.name}@nowhere.test`

      const pageAfterFailures = async (email: string, finalPassword: string) => {
        const web = new WebSession()
        await web.get(side.loginPath)
        for (let i = 0; i < 5; i++) {
          await web.post(side.loginPath, { email, password: `wrong-password-${i}` })
          await web.get(side.loginPath)
        }
        const last = await web.post(side.loginPath, { email, password: finalPassword })
        assert.equal(last.location, side.loginPath, 'the sixth attempt does not sign in')
        return withoutCsrf((await web.get(side.loginPath)).text).replaceAll(email, '<typed email>')
      }

      // Even the right password is refused while the email is paused.
      const known = await pageAfterFailures(account.email, PASSWORD)
      const stranger = await pageAfterFailures(unknown, PASSWORD)
      assert.include(known, 'signing in is paused')
      assert.equal(known, stranger)

      const throttled = await db
        .from('audit_events')
        .where('action', `${side.name}.sign_in_throttled`)
        .count('* as n')
      assert.isAtLeast(Number(throttled[0].n), 2)
      const keys = await db.from('rate_limits').select('key')
      assert.isFalse(keys.some(({ key }) => key.includes('@')), 'no email address is stored')
    })
  }

  test('a successful sign-in clears the failure count', async ({ assert }) => {
    const staff = await createStaff('clinician')
    const web = new WebSession()
    await web.get('/login')
    for (let i = 0; i < 4; i++) {
      await web.post('/login', { email: staff.email, password: 'wrong-password-here' })
      await web.get('/login')
    }
    assert.equal((await web.post('/login', { email: staff.email, password: PASSWORD })).location, '/dashboard')
    await web.post('/logout')
    for (let i = 0; i < 4; i++) {
      await web.get('/login')
      await web.post('/login', { email: staff.email, password: 'wrong-password-here' })
    }
    await web.get('/login')
    assert.equal((await web.post('/login', { email: staff.email, password: PASSWORD })).location, '/dashboard')
  })
})
