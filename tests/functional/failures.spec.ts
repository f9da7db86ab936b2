import { test } from '@japa/runner'
import pg from 'pg'
import env from '#start/env'
import db from '@adonisjs/lucid/services/db'
import { recordHeartbeat } from '#services/worker_heartbeat'
import { WebSession, type WebResponse } from '#tests/helpers/web'
import { signIn } from '#tests/helpers/sign_in'
import { createClient, createPortalAccount, createStaff } from '#database/factories/main'

/*
| Calm pages for every failure (issue #24): the database going away and
| coming back while the app runs, bodies the app does not take, and what
| /health says about the database, the workers and the mail queue.
*/

/** Nothing of the machinery shows: no stack frame, no exception name, no parser message. */
function assertCalm(assert: any, page: WebResponse) {
  assert.notMatch(page.text, /\bat [\w$.<>]+ \(|node_modules|\.ts:\d+|Error:|E_[A-Z_]{3,}|SyntaxError|Unexpected token|ECONNREFUSED|stack/i)
}

/*
| The database "goes away": new connections are refused (ALLOW_CONNECTIONS
| false) and every open one is cut, as a restart or failover does. One
| connection of our own, opened before, brings it back.
*/
async function databaseOutage() {
  // From the run's scratch database (same cluster, same owner): a database cannot lock itself out.
  const appDatabase = new URL(env.get('DATABASE_URL')!).pathname.slice(1)
  const keeper = new pg.Client({ connectionString: process.env.TEST_SCRATCH_DATABASE_URL })
  keeper.on('error', () => {})
  await keeper.connect()
  const name = pg.escapeIdentifier(appDatabase)
  try {
    await keeper.query(`alter database ${name} allow_connections false`)
    await keeper.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [appDatabase])
  } catch (error) {
    await keeper.query(`alter database ${name} allow_connections true`).catch(() => {})
    await keeper.end()
    throw error
  }
  return {
    async end() {
      await keeper.query(`alter database ${name} allow_connections true`)
      await keeper.end()
    },
  }
}

test.group('Failures: the database goes away and comes back', () => {
  test('503 with Retry-After and each side\'s calm page, /health 503, then recovery without a restart', async ({ assert }) => {
    const portal = await signIn(await createPortalAccount(await createClient()))
    const staff = await signIn(await createStaff('admin'))
    const spanish = await signIn(await createPortalAccount(await createClient()))
    spanish.headers['accept-language'] = 'es'
    await spanish.get('/portal')

    const outage = await databaseOutage()
    try {
      const portalPage = await portal.get('/portal')
      assert.equal(portalPage.status, 503)
      assert.equal(portalPage.headers.get('retry-after'), '30')
      assert.include(portalPage.text, 'The portal is taking a short break')
      assert.include(portalPage.text, 'If you were sending something, it was not saved')
      assertCalm(assert, portalPage)

      const staffPage = await staff.get('/dashboard')
      assert.equal(staffPage.status, 503)
      assert.equal(staffPage.headers.get('retry-after'), '30')
      assert.include(staffPage.text, 'Records are out of reach for a moment')
      assertCalm(assert, staffPage)

      // A form sent meanwhile: the same calm answer, nothing half-done.
      const posted = await portal.post('/portal/logout', {})
      assert.equal(posted.status, 503)
      assertCalm(assert, posted)

      // htmx gets a fragment, never a whole page inside a list.
      const fragment = await portal.get('/portal/appointments?tab=past', { 'HX-Request': 'true' })
      assert.equal(fragment.status, 503)
      assert.notInclude(fragment.text, '<html')
      assert.include(fragment.text, 'taking a short break')

      const signedOut = await new WebSession().get('/portal/login')
      assert.equal(signedOut.status, 503)
      assertCalm(assert, signedOut)

      // "Leave this site" still leaves: the cookie dropped, off to the default neutral address.
      const leaving = await portal.get('/portal/leave')
      assert.equal(leaving.status, 303)
      assert.equal(leaving.location, 'https://www.weather.com/')
      assert.equal(leaving.headers.get('clear-site-data'), '"cache", "cookies"')

      const health = await new WebSession().get('/health')
      assert.equal(health.status, 503)
      assert.deepEqual(JSON.parse(health.text), { status: 'unavailable', database: { status: 'down' } })
      assert.equal((await new WebSession().get('/health?only=database')).status, 503)
    } finally {
      await outage.end()
    }

    // Back: the same sessions work again, no restart (the portal one left: signed out, or at most still its own).
    const again = await portal.get('/portal')
    assert.oneOf(again.status, [200, 302])
    assert.equal((await staff.get('/dashboard')).status, 200)
    assert.equal((await new WebSession().get('/health?only=database')).status, 200)
  }).timeout(60_000)
})

test.group('Failures: bodies the app does not take', () => {
  const bodies = [
    { label: 'valid JSON', type: 'application/json', body: '{"email":"someone@example.test","password":"x"}' },
    { label: 'broken JSON', type: 'application/json', body: '{"email": "someone@' },
    { label: 'XML', type: 'application/xml', body: '<a>1</a>' },
    { label: 'plain text', type: 'text/plain', body: 'hello' },
  ]
  for (const { label, type, body } of bodies) {
    test(`${label} to a form route: the side's calm 400 page, whatever the Accept header`, async ({ assert }) => {
      for (const [path, words] of [
        ['/portal/login', 'We could not read that request'],
        ['/login', 'We could not read that request'],
      ]) {
        const web = new WebSession()
        await web.get(path)
        for (const accept of ['text/html', 'application/json']) {
          const sent = await fetch(new URL(path, web.baseUrl), {
            method: 'POST',
            body,
            redirect: 'manual',
            headers: { 'content-type': type, accept, cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
          })
          const text = await sent.text()
          assert.equal(sent.status, 400, `${path} ${accept}`)
          assert.include(sent.headers.get('content-type') ?? '', 'text/html')
          assert.include(text, words)
          assertCalm(assert, { status: sent.status, headers: sent.headers, text, location: null })
        }
      }
      const portalPage = await fetch(new URL('/portal/login', new WebSession().baseUrl), { method: 'POST', body, headers: { 'content-type': type } })
      assert.include(await portalPage.text(), 'Go to your portal home')
    })
  }

  test('a JSON Accept header does not turn a missing page into JSON', async ({ assert }) => {
    const response = await new WebSession().get('/portal/no-such-page', { accept: 'application/json' })
    assert.equal(response.status, 404, response.text)
    assert.include(response.text, 'We could not find that page', response.text.match(/<h1[^>]*>[^<]*/)?.[0])
    assertCalm(assert, response)
  })
})

test.group('Failures: /health reports the workers and the mail queue', (group) => {
  group.each.teardown(() => {
    env.set('HEALTH_WORKER_MAX_SILENCE_SECONDS', 0)
    env.set('HEALTH_MAIL_MAX_AGE_SECONDS', 0)
  })

  test('a silent worker makes /health 503; a heartbeat brings it back; the probe ignores both', async ({ assert }) => {
    const machinery = db.connection('machinery')
    await machinery.from('worker_heartbeats').delete()
    env.set('HEALTH_WORKER_MAX_SILENCE_SECONDS', 60)

    let health = await new WebSession().get('/health')
    assert.equal(health.status, 503)
    assert.deepInclude(JSON.parse(health.text).worker, { status: 'late', lastHeartbeatSecondsAgo: null, limitSeconds: 60 })
    assert.equal((await new WebSession().get('/health?only=database')).status, 200)

    await recordHeartbeat('health-test:1')
    health = await new WebSession().get('/health')
    assert.equal(health.status, 200)
    const report = JSON.parse(health.text)
    assert.equal(report.status, 'ok')
    assert.equal(report.worker.status, 'ok')
    assert.isAtMost(report.worker.lastHeartbeatSecondsAgo, 5)

    await machinery.from('worker_heartbeats').update({ beat_at: machinery.raw(`now() - interval '2 minutes'`) })
    health = await new WebSession().get('/health')
    assert.equal(health.status, 503)
    assert.equal(JSON.parse(health.text).worker.status, 'late')
    assert.isAtLeast(JSON.parse(health.text).worker.lastHeartbeatSecondsAgo, 119)
    await machinery.from('worker_heartbeats').delete()
  })

  test('an old unsent mail makes /health 503, with its age and nothing about it', async ({ assert }) => {
    env.set('HEALTH_MAIL_MAX_AGE_SECONDS', 365 * 24 * 3600)
    const machinery = db.connection('machinery')
    const [row] = await machinery
      .insertQuery()
      .table('mail_messages')
      .insert({
        template: 'test_message',
        recipient: 'stuck-mail@example.test',
        subject: 'Stuck',
        data: '{}',
        message_id: `<health-${Date.now()}@test>`,
        status: 'queued',
        next_attempt_at: machinery.raw(`now() + interval '1 day'`),
        created_at: machinery.raw(`now() - interval '2 years'`),
      })
      .returning('id')
    try {
      const health = await new WebSession().get('/health')
      assert.equal(health.status, 503)
      const report = JSON.parse(health.text)
      assert.equal(report.mail.status, 'late')
      assert.isAtLeast(report.mail.oldestQueuedSeconds, 2 * 365 * 24 * 3600 - 86400)
      assert.notInclude(health.text, 'stuck-mail')
      assert.notInclude(health.text, 'Stuck')
    } finally {
      await machinery.from('mail_messages').where('id', row.id ?? row).update({ status: 'failed' })
    }
    const after = await new WebSession().get('/health')
    assert.equal(JSON.parse(after.text).mail.status, 'ok')
  })
})
