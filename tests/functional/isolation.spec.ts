import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import { freePort } from '#database/embedded_postgres'
import { WebSession } from '#tests/helpers/web'
import { createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import Client from '#models/client'

test.group('Route isolation between staff and portal', () => {
  test('a signed-in staff user who opens a portal page lands on the dashboard', async ({ assert }) => {
    const web = await signIn(await createStaff('ceo'))
    for (const path of ['/portal', '/portal/appointments', '/portal/login']) {
      const response = await web.get(path)
      assert.equal(response.status, 302, path)
      assert.equal(response.location, '/dashboard', path)
    }
  })

  test('a signed-in portal user who opens a staff page goes back to the portal', async ({ assert }) => {
    const web = await signIn(await createPortalAccount(await createClient()))
    for (const path of ['/dashboard', '/clients', '/resource-library', '/portal-settings', '/audit-log', '/login', '/']) {
      const response = await web.get(path)
      assert.equal(response.status, 302, path)
      assert.equal(response.location, '/portal', path)
    }
  })

  test('a portal user posting to a staff route with a valid CSRF token is refused', async ({ assert }) => {
    const web = await signIn(await createPortalAccount(await createClient()))
    await web.get('/portal')
    assert.isNotNull(web.lastCsrfToken)
    const response = await web.post('/logout', {})
    assert.equal(response.status, 403)
    // Still signed in to the portal: the staff route did nothing.
    assert.equal((await web.get('/portal')).status, 200)
  })

  test('anonymous visitors are sent to the sign-in page of the side they asked for', async ({ assert }) => {
    const web = new WebSession()
    const staffPage = await web.get('/dashboard')
    assert.equal(staffPage.location, '/login')
    const portalPage = await web.get('/portal')
    assert.equal(portalPage.location, '/portal/login')
  })

  test('htmx requests without a session get HX-Redirect, not a redirect into a fragment', async ({ assert }) => {
    const web = new WebSession()
    const response = await web.get('/portal', { 'HX-Request': 'true' })
    assert.equal(response.status, 204)
    assert.equal(response.headers.get('hx-redirect'), '/portal/login')
  })

  test('/health answers for everyone, signed in or not', async ({ assert }) => {
    const web = await signIn(await createPortalAccount(await createClient()))
    const response = await web.get('/health')
    assert.equal(response.status, 200)
    assert.equal(JSON.parse(response.text).database.status, 'ok')

    // A load balancer's probe starts no session (no cookie, no session row).
    const probe = await new WebSession().get('/health')
    assert.equal(probe.status, 200)
    assert.isNull(probe.headers.get('set-cookie'))
    assert.equal(probe.headers.get('cache-control'), 'no-store')
  })

  test('/health answers 503 from an app whose database cannot be reached', async ({ assert }) => {
    // A second app process, the same code, pointed at a port where no database listens.
    const [port, deadPort] = [await freePort(34_600), await freePort(34_700)]
    const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
      cwd: app.makePath(),
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `postgres://nobody:nothing@127.0.0.1:${deadPort}/nowhere`,
      },
      stdio: 'ignore',
    })
    try {
      let response: Response | null = null
      for (let waited = 0; !response && waited < 30_000; waited += 200) {
        response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null)
        if (!response) await new Promise((done) => setTimeout(done, 200))
      }
      assert.isNotNull(response, 'the second app answered')
      assert.equal(response!.status, 503)
      assert.deepEqual(await response!.json(), { status: 'unavailable', database: { status: 'down' } })
    } finally {
      child.kill('SIGTERM')
    }
  }).timeout(60_000)

  test('a form post without a CSRF token changes nothing', async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client)
    const web = await signIn(account)
    const response = await web.post('/portal/logout', { _csrf: null })
    assert.notEqual(response.status, 200)
    // The sign-out did not happen and the account row is untouched.
    assert.equal((await web.get('/portal')).status, 200)
    const reloaded = await Client.findOrFail(client.id)
    assert.equal(reloaded.updatedAt.toMillis(), client.updatedAt.toMillis())
  })
})
