import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { DateTime } from 'luxon'
import Resource from '#models/resource'
import { enqueueMail } from '#services/mail_queue'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { sessionIdOf, signIn } from '#tests/helpers/sign_in'
import { SmtpCapture } from '#tests/helpers/smtp'
import { deliverAll } from '#tests/helpers/mail'
import { startWeb, startWorker, until, type AppProcess } from '#tests/helpers/processes'
import type { WebSession } from '#tests/helpers/web'

/*
| Several processes on one database (DESIGN §11, issue #24), all real: two
| web processes (bin/server.ts) and two workers (`node ace jobs:work`),
| files on the run's S3 server. One group shares the processes (starting
| them is the slow part); the shutdown tests come last and stop them.
*/
const PORTS = { a: 3348, b: 3349, grace: 3350, cluster: 3347 }
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const at = (web: WebSession, port: number) => Object.assign(web, { baseUrl: `http://127.0.0.1:${port}` })

async function download(web: WebSession, path: string) {
  const response = await fetch(new URL(path, web.baseUrl), {
    headers: { cookie: [...web.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    redirect: 'manual',
  })
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) }
}

/** Waits until a statement of another process waits on a lock this test holds. */
function someoneWaitsOnALock() {
  return until(async () => {
    const { rows } = await db.connection('machinery').rawQuery(
      `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`
    )
    return rows[0].n > 0
  }, 20_000)
}

test.group('Several processes: two web processes and two workers on one database', (group) => {
  const smtp = new SmtpCapture({ delayMs: 5 })
  let webA: AppProcess, webB: AppProcess, workers: AppProcess[]

  group.setup(async () => {
    await smtp.start()
    ;[webA, webB, ...workers] = await Promise.all([
      startWeb(PORTS.a),
      startWeb(PORTS.b),
      startWorker(smtp.port),
      startWorker(smtp.port),
    ])
    return async () => {
      await Promise.all([webA, webB, ...workers].map((one) => one.stop('SIGKILL')))
      await smtp.stop()
    }
  })

  test('a session from one process works on the other; a file uploaded through one downloads through the other', async ({ assert }) => {
    const staff = at(await signIn(await createStaff('admin')), PORTS.a)
    assert.equal((await staff.get('/dashboard')).status, 200)
    const client = await createClient()
    const portal = at(await signIn(await createPortalAccount(client)), PORTS.b)
    assert.equal((await portal.get('/portal')).status, 200)
    at(portal, PORTS.a)
    assert.equal((await portal.get('/portal/resources')).status, 200)

    // Upload through A (the form page, its CSRF token and the post all on A).
    const title = `Shared across processes ${Date.now()}`
    await staff.get('/resource-library/new')
    const form = new FormData()
    form.append('_csrf', staff.lastCsrfToken ?? '')
    form.append('title', title)
    form.append('file', new Blob([new Uint8Array(await readFile(app.makePath('tests/fixtures/resource_library/breathing.pdf')))]), 'breathing.pdf')
    assert.equal((await staff.request('POST', '/resource-library', form)).status, 302)
    const resource = await Resource.findByOrFail('title', title)

    // Share through B, with the CSRF token of a page B rendered for the same session.
    at(staff, PORTS.b)
    await staff.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/shares`, { 'clientIds[]': [String(client.id)] })

    // Download through B, and through A: the same bytes, the stored checksum.
    at(portal, PORTS.b)
    const fromB = await download(portal, `/portal/resources/${resource.id}/download`)
    assert.equal(fromB.status, 200)
    assert.equal(sha256(fromB.bytes), resource.checksum)
    at(portal, PORTS.a)
    assert.equal(sha256((await download(portal, `/portal/resources/${resource.id}/download`)).bytes), resource.checksum)
  }).timeout(60_000)

  test('100 queued mails and due reminders go out exactly once', async ({ assert }) => {
    const batch = `many-${process.pid}-${Date.now()}`
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        enqueueMail({ template: 'test_message', to: `${batch}-${i}@example.test`, subject: 'Test message', data: {} })
      )
    )
    const providers = await Promise.all(Array.from({ length: 10 }, () => createStaff('clinician')))
    const appointmentIds: number[] = []
    for (let i = 0; i < 10; i++) {
      const client = await createClient({ email: `${batch}-reminder-${i}@client.test` })
      const startsAt = DateTime.now().plus({ hours: 3 }).startOf('minute')
      appointmentIds.push((await createAppointment(client, providers[i], { startsAt })).id)
    }

    const mine = () => smtp.messages.filter((message) => message.to.some((address) => address.startsWith(batch)))
    await smtp.waitFor(() => mine().length >= 110, 90_000)
    // Everything is marked sent: nothing is left for a worker to send again.
    await until(async () => {
      const { rows } = await db.connection('machinery').rawQuery(
        `select count(*)::int as n from mail_messages where recipient like ? and status <> 'sent'`,
        [`${batch}%`]
      )
      return rows[0].n === 0
    }, 30_000)

    const received = mine()
    assert.lengthOf(received, 110)
    assert.equal(new Set(received.map((message) => message.messageId)).size, 110)
    assert.equal(new Set(received.flatMap((message) => message.to)).size, 110)
    const reminders = await db.connection('machinery').from('appointment_reminders').whereIn('appointment_id', appointmentIds)
    assert.lengthOf(reminders, 10)
    // Every mail records the worker that sent it; /health sees the workers' heartbeats.
    const senders = await db.connection('machinery').from('mail_messages').where('recipient', 'like', `${batch}%`).distinct('locked_by')
    assert.isAtLeast(senders.length, 1)
    const health = await fetch(`http://127.0.0.1:${PORTS.a}/health`)
    assert.isAtMost((await health.json()).worker.lastHeartbeatSecondsAgo, 10)
  }).timeout(120_000)

  test('a web process stopping (SIGTERM) refuses new connections, finishes the request in flight, exits 0', async ({ assert }) => {
    const portal = at(await signIn(await createPortalAccount(await createClient())), PORTS.b)
    await portal.get('/portal')
    const sessionId = await sessionIdOf(portal)

    // Hold the session row: sign-out (which deletes it) waits in the database, in flight.
    const trx = await db.connection('machinery').transaction()
    let signOut: Promise<{ status: number; location: string | null }> | null = null
    try {
      await trx.from('sessions').where('id', sessionId!).forUpdate().first()
      signOut = portal.post('/portal/logout')
      await someoneWaitsOnALock()
      webB.child.kill('SIGTERM')
      // New connections are refused while the request is still in flight.
      await until(async () => (await fetch(`http://127.0.0.1:${PORTS.b}/health`).catch(() => null)) === null, 10_000)
      assert.isNull(webB.child.exitCode)
    } finally {
      await trx.commit()
    }
    const finished = await signOut!
    assert.equal(finished.status, 302)
    assert.equal(finished.location, '/portal/login')
    assert.equal(await webB.exited, 0, webB.output())
    // The sign-out really happened: the same browser is signed out on the other process.
    at(portal, PORTS.a)
    assert.equal((await portal.get('/portal')).location, '/portal/login')
  }).timeout(60_000)

  test('a request still running after SHUTDOWN_GRACE_SECONDS is cut; the process still exits 0', async ({ assert }) => {
    const web = await startWeb(PORTS.grace, { SHUTDOWN_GRACE_SECONDS: '1' })
    const portal = at(await signIn(await createPortalAccount(await createClient())), PORTS.grace)
    await portal.get('/portal')
    const sessionId = await sessionIdOf(portal)
    const trx = await db.connection('machinery').transaction()
    try {
      await trx.from('sessions').where('id', sessionId!).forUpdate().first()
      const signOut = portal.post('/portal/logout').then(
        () => 'answered',
        () => 'cut'
      )
      await someoneWaitsOnALock()
      web.child.kill('SIGTERM')
      assert.equal(await signOut, 'cut')
    } finally {
      await trx.commit()
    }
    assert.equal(await web.exited, 0, web.output())
  }).timeout(60_000)

  test('a worker stopping (SIGTERM) with mails in flight sends those, claims no more, exits 0; none twice, none lost', async ({ assert }) => {
    // The two workers stop first (nothing in hand): exit 0.
    for (const worker of workers) assert.equal(await worker.stop(), 0, worker.output())

    const slow = new SmtpCapture({ delayMs: 400 })
    await slow.start()
    try {
      const worker = await startWorker(slow.port, ['--batch', '5'])
      const batch = `stop-${process.pid}-${Date.now()}`
      const ids: number[] = []
      for (let i = 0; i < 15; i++) {
        ids.push((await enqueueMail({ template: 'test_message', to: `${batch}-${i}@example.test`, subject: 'Test message', data: {} })).id)
      }
      const rows = () => db.connection('machinery').from('mail_messages').whereIn('id', ids).orderBy('id')
      // A batch is claimed and being sent.
      await until(async () => (await rows()).some((row) => row.status === 'sending'), 30_000, () => worker.output())
      worker.child.kill('SIGTERM')
      assert.equal(await worker.exited, 0, worker.output())

      const after = await rows()
      assert.notInclude(after.map((row) => row.status), 'sending')
      const sent = after.filter((row) => row.status === 'sent')
      assert.isAbove(sent.length, 0)
      assert.isBelow(sent.length, 15, 'it stopped claiming')
      const mine = () => slow.messages.filter((message) => message.to.some((address) => address.startsWith(batch)))
      assert.lengthOf(mine(), sent.length)

      // What it had not claimed is still queued; another pass sends it, and nothing twice.
      await deliverAllTo(slow)
      assert.lengthOf(mine(), 15)
      assert.equal(new Set(mine().map((message) => message.messageId)).size, 15)
    } finally {
      await slow.stop()
    }
  }).timeout(90_000)
})

/** Delivers what is due from this process, through the given capture server. */
/** The pids of a process's children (Linux /proc): the web processes a cluster's primary forked. */
async function childrenOf(pid: number) {
  const children: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '')
    if (new RegExp(`^PPid:\\s+${pid}$`, 'm').test(status)) children.push(Number(entry))
  }
  return children
}

test.group('WEB_CONCURRENCY: several web processes behind one port (Node cluster)', () => {
  test('two processes answer; one that dies is replaced; SIGTERM stops them all and the primary exits 0', async ({ assert }) => {
    const web = await startWeb(PORTS.cluster, { WEB_CONCURRENCY: '2' })
    const healthy = async () => (await fetch(`http://127.0.0.1:${PORTS.cluster}/health?only=database`).catch(() => null))?.status === 200
    let first: number[] = []
    await until(async () => (first = await childrenOf(web.child.pid!)).length === 2, 60_000, () => web.output())

    // Any process answers any request: a signed-in portal page, ten times over.
    const portal = at(await signIn(await createPortalAccount(await createClient())), PORTS.cluster)
    for (let i = 0; i < 10; i++) assert.equal((await portal.get('/portal')).status, 200)

    // One crashes: the other keeps answering, and the primary starts a new one in its place.
    process.kill(first[0], 'SIGKILL')
    await until(healthy, 10_000, () => web.output())
    let now: number[] = []
    await until(async () => {
      now = await childrenOf(web.child.pid!)
      return now.length === 2 && !now.includes(first[0])
    }, 60_000, () => web.output())
    assert.include(now, first[1])
    await until(healthy, 60_000, () => web.output())
    assert.include(web.output(), `web process ${first[0]} exited (SIGKILL); starting another`)

    // SIGTERM to the primary reaches every process; all stop, the primary exits 0.
    web.child.kill('SIGTERM')
    assert.equal(await web.exited, 0, web.output())
    await until(() => now.every((pid) => !existsSync(`/proc/${pid}`)), 10_000, () => web.output())
  }).timeout(180_000)
})

async function deliverAllTo(capture: SmtpCapture) {
  const { useSmtpCapture } = await import('#tests/helpers/mail')
  await useSmtpCapture(capture)
  await deliverAll()
}
