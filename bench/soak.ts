/*
| `npm run soak` (issue #24 item 6, not in CI): the bench's portal mix for a
| long stretch while the mail queue works through an SMTP outage.
|
|  1. a throw-away embedded PostgreSQL in tmp/soak-XXXX (durability at its
|     defaults), migrated by the build's ace and loaded with the bench's small
|     data set (bench/data.sql: 1 000 clients, 10 000 appointments, 50
|     portal accounts that sign in); the app is built meanwhile;
|  2. one web process (the build, as `npm start` runs it) and one worker (as
|     `npm run worker`), production configuration, the worker sending to a
|     real SMTP server on loopback that this script runs (tests/helpers/smtp.ts);
|  3. SOAK_MAILS (default 1 200) appointment reminders that fall due evenly
|     over the run: the worker's own due pass queues them through the real
|     reminder action (mayContact, the outbox) and its delivery job sends
|     them, so the mail is made as production makes it;
|  4. autocannon drives the bench's portal mix (/portal, /portal/appointments,
|     /portal/resources, the 50 signed-in sessions rotated) for SOAK_MINUTES
|     (default 10) at SOAK_RATE requests/s (default 100; 0 = as fast as the
|     server goes) over SOAK_CONNECTIONS (default 8) connections;
|  5. the SMTP server is stopped for SOAK_OUTAGE_MINUTES (default 5, at most
|     half the run) in the middle of it: mail fails, is retried with the
|     production backoff (MAIL_RETRY_BASE_SECONDS, MAIL_MAX_ATTEMPTS defaults);
|  6. after the load, waits up to SOAK_DRAIN_MINUTES (default 10) for the
|     queue to drain, then checks: 0 non-2xx and 0 request errors; every
|     queued mail received exactly once (distinct Message-IDs received =
|     mails queued, no duplicate, none failed); RSS of both processes at the
|     start and the end; both stop on SIGTERM with exit code 0;
|  7. writes bench/results/soak-latest.md (kept local) and prints it.
|
| Ports: SOAK_PORT (web, default 3359), SOAK_SMTP_PORT (default 3360);
| PostgreSQL takes a free one from 55 700. Exit code 1 when a check fails.
| `npm run soak -- --keep` leaves the work folder (logs, data) in place.
*/
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, readFileSync, readdirSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { Scrypt } from '@adonisjs/core/hash/drivers/scrypt'
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '../database/embedded_postgres.js'
import { SmtpCapture } from '../tests/helpers/smtp.js'
import { BENCH_PASSWORD, SMALL, loadDataSet, portalSignIns } from './load_data.js'
import { USER_AGENT, signIn } from './sessions.js'
import { elapsedLogger, percentile, round, sleep } from './helpers.js'

const require = createRequire(import.meta.url)
const autocannon = require('autocannon') as (options: Record<string, unknown>) => any

const ROOT = new URL('../', import.meta.url).pathname
const RESULTS = join(ROOT, 'bench/results')
const KEEP = process.argv.includes('--keep')

function setting(name: string, fallback: number) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0 (got "${raw}")`)
  return value
}
const MINUTES = setting('SOAK_MINUTES', 10)
const OUTAGE_MINUTES = Math.min(setting('SOAK_OUTAGE_MINUTES', 5), MINUTES / 2)
const MAILS = Math.trunc(setting('SOAK_MAILS', 1200))
const DRAIN_MINUTES = setting('SOAK_DRAIN_MINUTES', 10)
const CONNECTIONS = Math.max(1, Math.trunc(setting('SOAK_CONNECTIONS', 8)))
const RATE = setting('SOAK_RATE', 100)
const WEB_PORT = Math.trunc(setting('SOAK_PORT', 3359))
const SMTP_PORT = Math.trunc(setting('SOAK_SMTP_PORT', 3360))
const LOAD_SECONDS = Math.round(MINUTES * 60)
const OUTAGE_SECONDS = Math.round(OUTAGE_MINUTES * 60)
const OUTAGE_FROM_SECONDS = Math.round((LOAD_SECONDS - OUTAGE_SECONDS) / 2)
const PORTAL_MIX = ['/portal', '/portal/appointments', '/portal/resources']
const SAMPLE_EVERY_MS = 5_000

/*
| Small helpers.
*/
const started = Date.now()
const log = elapsedLogger(5)

function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024, 1)
  } catch {
    return NaN
  }
}

/*
| CPU accounting from /proc, to say how busy the shared machine was: our
| processes (web, worker, PostgreSQL, this script with autocannon and the
| SMTP server) and everything else.
*/
const TICK_MS = 10
function processTicks(pid: number, withChildren = false) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const own = Number(fields[11]) + Number(fields[12])
    return withChildren ? own + Number(fields[13]) + Number(fields[14]) : own
  } catch {
    return 0
  }
}
function childrenOf(pid: number): number[] {
  const found: number[] = []
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim()
      if (list) found.push(...list.split(/\s+/).map(Number))
    }
  } catch {}
  return found
}
interface CpuSample {
  web: number
  worker: number
  postgres: number
  self: number
  busy: number
  total: number
}
function cpuSample(): CpuSample {
  let postgres = 0
  if (postmasterPid) {
    postgres = processTicks(postmasterPid, true)
    for (const child of childrenOf(postmasterPid)) postgres += processTicks(child)
  }
  const usage = process.cpuUsage()
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0)
  return {
    web: web?.child.pid ? processTicks(web.child.pid) * TICK_MS : 0,
    worker: worker?.child.pid ? processTicks(worker.child.pid) * TICK_MS : 0,
    postgres: postgres * TICK_MS,
    self: (usage.user + usage.system) / 1000,
    busy: (total - cpu[3] - cpu[4]) * TICK_MS,
    total: total * TICK_MS,
  }
}
function cpuShares(before: CpuSample, after: CpuSample) {
  const total = Math.max(1, after.total - before.total)
  const pct = (ms: number) => round((100 * ms) / total, 1)
  const d = (key: keyof CpuSample) => after[key] - before[key]
  return {
    web_pct: pct(d('web')),
    worker_pct: pct(d('worker')),
    postgres_pct: pct(d('postgres')),
    load_generator_pct: pct(d('self')),
    other_processes_pct: pct(Math.max(0, d('busy') - d('web') - d('worker') - d('postgres') - d('self'))),
    machine_busy_pct: pct(d('busy')),
  }
}

/*
| Processes and clean-up.
*/
interface Proc {
  child: ChildProcess
  exited: Promise<number | null>
  logFile: string
}
let database: EmbeddedPostgres | null = null
let workDir: string | null = null
let postmasterPid: number | null = null
let web: Proc | null = null
let worker: Proc | null = null
const smtp = new SmtpCapture()
smtp.port = SMTP_PORT
const children = new Set<ChildProcess>()

function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Proc {
  const out = createWriteStream(logFile)
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.pipe(out)
  child.stderr!.pipe(out)
  children.add(child)
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child)
      resolve(code)
    })
  )
  return { child, exited, logFile }
}

/** A log file's text so far ('' before the stream has created it). */
function readLog(file: string) {
  return existsSync(file) ? readFileSync(file, 'utf8') : ''
}
function tail(file: string, lines = 30) {
  return readLog(file).split('\n').slice(-lines).join('\n')
}

async function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string) {
  const proc = spawnLogged(command, args, env, logFile)
  const code = await proc.exited
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail(logFile, 40)}`)
}

let cleaning: Promise<void> | null = null
function cleanUp() {
  cleaning ??= (async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    await smtp.stop().catch(() => {})
    await database?.stop().catch(() => {})
    database = null
    if (workDir && !KEEP) await rm(workDir, { recursive: true, force: true }).catch(() => {})
  })()
  return cleaning
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    log(`${signal}: stopping`)
    await cleanUp()
    process.exit(130)
  })
}

/** Stops a process with SIGTERM (graceful shutdown), measuring how long it took. */
async function stopGracefully(proc: Proc, name: string) {
  const t0 = Date.now()
  proc.child.kill('SIGTERM')
  const code = await Promise.race([proc.exited, sleep(30_000).then(() => 'timeout' as const)])
  if (code === 'timeout') {
    log(`${name} did not stop within 30 s of SIGTERM: killing it`)
    proc.child.kill('SIGKILL')
    return { exit_code: null, seconds: 30 }
  }
  return { exit_code: code, seconds: round((Date.now() - t0) / 1000, 1) }
}

/*
| The reminders that fall due during the run: one client each (an email on
| file, email consent, a 24 h lead), one appointment each, starting 24 h
| after its due moment; one clinician each so no booking clashes.
*/
async function addDueReminders(appDb: pg.Client, count: number, loadStart: Date, loadSeconds: number) {
  await appDb.query('begin')
  await appDb.query(
    `insert into staff_users (name, email, password, role, is_active)
     select format('Soak Clinician %s', g), format('soak-clinician-%s@bench.careincite.test', g),
            'not-a-password-hash', 'clinician', true
       from generate_series(1, $1::int) g`,
    [count]
  )
  await appDb.query(`insert into appointment_types (name, default_minutes) values ('Soak session', 30)`)
  await appDb.query(
    `insert into clients (first_name, last_name, date_of_birth, email, status)
     select 'Soak', format('Reminder %s', g), date '1980-01-01', format('soak-reminder-%s@example.test', g), 'active'
       from generate_series(1, $1::int) g`,
    [count]
  )
  await appDb.query(
    `insert into client_preferences (client_id, reminder_channel, reminder_lead_hours, consent_email)
     select id, 'email', 24, true from clients where email like 'soak-reminder-%@example.test'
     on conflict (client_id) do update set reminder_channel = 'email', reminder_lead_hours = 24, consent_email = true`
  )
  await appDb.query(
    `with c as (select id, row_number() over (order by id) - 1 as i from clients where email like 'soak-reminder-%@example.test'),
          s as (select id, row_number() over (order by id) - 1 as k from staff_users where email like 'soak-clinician-%@bench.careincite.test'),
          t as (select id from appointment_types where name = 'Soak session')
     insert into appointments (client_id, provider_id, appointment_type_id, starts_at, ends_at, status, is_telehealth, location)
     select c.id, s.id, t.id,
            $1::timestamptz + interval '24 hours' + ((c.i + 0.5) * $2::float8 / $3::int) * interval '1 second',
            $1::timestamptz + interval '24 hours 30 minutes' + ((c.i + 0.5) * $2::float8 / $3::int) * interval '1 second',
            'scheduled', false, 'Main office'
       from c join s on s.k = c.i cross join t`,
    [loadStart.toISOString(), loadSeconds, count]
  )
  await appDb.query('commit')
}

interface QueueCounts {
  queued: number
  sending: number
  sent: number
  failed: number
  total: number
  soak_reminders_queued: number
}
/** The mail made in this soak: rows after the data set's own sent history (its reminders of the past year, for /insights). */
let historyUpTo = 0

async function queueCounts(appDb: pg.Client): Promise<QueueCounts> {
  const { rows } = await appDb.query(
    `select count(*) filter (where status = 'queued')::int as queued,
            count(*) filter (where status = 'sending')::int as sending,
            count(*) filter (where status = 'sent')::int as sent,
            count(*) filter (where status = 'failed')::int as failed,
            count(*)::int as total,
            count(*) filter (where recipient like 'soak-reminder-%')::int as soak_reminders_queued
       from mail_messages where id > $1`,
    [historyUpTo]
  )
  return rows[0]
}

interface Sample {
  t: number
  web_rss_mb: number
  worker_rss_mb: number
  smtp_up: boolean
  received: number
  queue: QueueCounts
  requests: number
  non_2xx: number
  errors: number
}

/*
| The load: the bench's portal mix, cookies rotated, paced.
*/
function portalMix(base: string, cookies: string[], seconds: number) {
  let next = 0
  const statuses = new Map<number, number>()
  const latencies: number[] = []
  const perMinute = new Map<number, number[]>()
  let errors = 0
  const loadStart = Date.now()
  const instance = autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    ...(RATE > 0 ? { overallRate: RATE } : {}),
    headers: { 'user-agent': USER_AGENT, 'accept': 'text/html' },
    requests: PORTAL_MIX.map((path) => ({
      method: 'GET',
      path,
      setupRequest: (req: Record<string, any>) => ({ ...req, headers: { ...req.headers, cookie: cookies[next++ % cookies.length] } }),
    })),
  })
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1)
    latencies.push(responseTime)
    const minute = Math.floor((Date.now() - loadStart) / 60_000)
    if (!perMinute.has(minute)) perMinute.set(minute, [])
    perMinute.get(minute)!.push(responseTime)
  })
  instance.on('reqError', () => errors++)
  const counts = () => {
    let ok = 0
    let bad = 0
    for (const [status, n] of statuses) (status >= 200 && status < 300 ? (ok += n) : (bad += n))
    return { ok, bad }
  }
  const done = new Promise<any>((resolve, reject) => instance.then(resolve, reject))
  return { done, statuses, latencies, perMinute, counts, errors: () => errors }
}

async function main() {
  const loadAverageAtStart = os.loadavg().map((n) => round(n, 2))
  await mkdir(join(ROOT, 'tmp'), { recursive: true })
  workDir = await mkdtemp(join(ROOT, 'tmp/soak-'))
  await chmod(workDir, 0o755) // PostgreSQL runs as its own user when we are root
  log(
    `soak: ${MINUTES} min of the portal mix at ${RATE > 0 ? `${RATE} req/s` : 'full speed'} over ${CONNECTIONS} connections, ` +
      `${MAILS} reminders falling due, SMTP down for ${OUTAGE_MINUTES} min from minute ${round(OUTAGE_FROM_SECONDS / 60, 2)}, ` +
      `drain ≤ ${DRAIN_MINUTES} min; work folder ${workDir}`
  )

  log('building the app (npm run build) in the background')
  const build = runToEnd('npm', ['run', 'build'], { ...process.env }, join(workDir, 'build.log')).then(() => log('build finished'))
  build.catch(() => {})

  const dataDir = join(workDir, 'postgres')
  database = await startEmbeddedPostgres({ dataDir, port: await freePort(55_700), databases: ['soak'], persistent: true })
  postmasterPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
  const appUrl = database.urls.soak
  log(`PostgreSQL on 127.0.0.1:${database.port}`)

  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    TZ: 'UTC',
    HOST: '127.0.0.1',
    APP_KEY: randomBytes(32).toString('base64url'),
    PRACTICE_NAME: 'Riverbend Counseling',
    PRACTICE_PHONE: '(555) 010-2400',
    PRACTICE_TIMEZONE: 'America/Chicago',
    CRISIS_LINE_TEXT: 'In a crisis, call or text 988 (Suicide & Crisis Lifeline), any time.',
    DRIVE_ROOT: join(workDir, 'storage'),
    DATABASE_URL: appUrl,
    PORT: String(WEB_PORT),
    APP_URL: `http://127.0.0.1:${WEB_PORT}`,
    // The only limiter change (as in the bench): 50 sign-ins from 127.0.0.1 within a minute.
    SIGN_IN_MAX_PER_IP_PER_MINUTE: '100000',
  }
  // A developer's own settings must not leak in: production defaults are what is soaked
  // (the mail retry backoff and attempts above all).
  for (const name of ['LOG_LEVEL', 'SMTP_HOST', 'SMTP_PORT', 'DB_POOL_MAX', 'DB_MACHINERY_POOL_MAX', 'MAIL_MAX_ATTEMPTS', 'MAIL_RETRY_BASE_SECONDS', 'WEB_CONCURRENCY', 'DRIVE_DISK']) {
    delete baseEnv[name]
  }

  const passwordHash = await new Scrypt({ cost: 16384, blockSize: 8, parallelization: 1, maxMemory: 33554432 }).make(BENCH_PASSWORD)
  await build
  await runToEnd(process.execPath, ['build/ace.js', 'migration:run', '--force'], baseEnv, join(workDir, 'migrate.log'))
  const load = await loadDataSet(appUrl, SMALL, passwordHash, (line) => log(line))
  log(`small data set loaded ${JSON.stringify(load.rows)}`)

  const appDb = new pg.Client({ connectionString: appUrl })
  appDb.on('error', () => {})
  await appDb.connect()
  // The data set carries a year of already-sent reminders (bench/data.sql); they were never sent here.
  historyUpTo = Number((await appDb.query('select coalesce(max(id), 0) as last from mail_messages')).rows[0].last)

  await smtp.start()
  log(`SMTP server on 127.0.0.1:${smtp.port}`)
  // The commands of package.json's `start` and `worker` scripts, run directly so their RSS is theirs.
  web = spawnLogged(process.execPath, ['--max-old-space-size=192', 'build/bin/server.js'], baseEnv, join(workDir, 'web.log'))
  const base = `http://127.0.0.1:${WEB_PORT}`
  const deadline = Date.now() + 90_000
  while ((await fetch(`${base}/health?only=database`).catch(() => null))?.status !== 200) {
    if (Date.now() > deadline || web.child.exitCode !== null) throw new Error(`The web process did not start:\n${tail(web.logFile)}`)
    await sleep(300)
  }
  worker = spawnLogged(
    process.execPath,
    ['build/ace.js', 'jobs:work'],
    { ...baseEnv, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), LOG_LEVEL: 'info' },
    join(workDir, 'worker.log')
  )
  while (!readLog(worker.logFile).includes('started')) {
    if (worker.child.exitCode !== null) throw new Error(`The worker did not start:\n${tail(worker.logFile)}`)
    await sleep(300)
  }
  log(`web pid ${web.child.pid}, worker pid ${worker.child.pid}`)

  const cookies: string[] = []
  for (const email of portalSignIns(SMALL)) cookies.push((await signIn(base, '/portal/login', '/portal', email)).header())
  log(`${cookies.length} portal accounts signed in`)
  // Mail the data set itself made due (its own upcoming appointments) goes out before the run starts.
  const settleDeadline = Date.now() + 120_000
  while (Date.now() < settleDeadline) {
    const q = await queueCounts(appDb)
    if (q.queued + q.sending === 0) break
    await sleep(1000)
  }
  const before = await queueCounts(appDb)
  const receivedBefore = smtp.messages.length

  const loadStart = new Date(Date.now() + 2_000)
  await addDueReminders(appDb, MAILS, loadStart, LOAD_SECONDS)
  await sleep(Math.max(0, loadStart.getTime() - Date.now()))
  const rssStart = { web: memoryMb(web.child.pid!, 'VmRSS'), worker: memoryMb(worker.child.pid!, 'VmRSS') }
  log(`load starts: RSS web ${rssStart.web} MB, worker ${rssStart.worker} MB; ${before.total} mails already sent before it`)

  const cpuBefore = cpuSample()
  const mix = portalMix(base, cookies, LOAD_SECONDS)
  const samples: Sample[] = []
  let sampling = true
  const outage = { stopped_at_s: NaN, started_at_s: NaN }
  const sampler = (async () => {
    while (sampling) {
      const t = round((Date.now() - loadStart.getTime()) / 1000, 0)
      if (Number.isNaN(outage.stopped_at_s) && t >= OUTAGE_FROM_SECONDS && OUTAGE_SECONDS > 0) {
        await smtp.stop()
        outage.stopped_at_s = round((Date.now() - loadStart.getTime()) / 1000, 1)
        log('SMTP server stopped')
      } else if (!Number.isNaN(outage.stopped_at_s) && Number.isNaN(outage.started_at_s) && t >= OUTAGE_FROM_SECONDS + OUTAGE_SECONDS) {
        await smtp.start()
        outage.started_at_s = round((Date.now() - loadStart.getTime()) / 1000, 1)
        log('SMTP server started again')
      }
      const { ok, bad } = mix.counts()
      const sample: Sample = {
        t,
        web_rss_mb: memoryMb(web!.child.pid!, 'VmRSS'),
        worker_rss_mb: memoryMb(worker!.child.pid!, 'VmRSS'),
        smtp_up: smtp.running,
        received: smtp.messages.length - receivedBefore,
        queue: await queueCounts(appDb).catch(() => samples.at(-1)?.queue ?? ({} as QueueCounts)),
        requests: ok + bad,
        non_2xx: bad,
        errors: mix.errors(),
      }
      samples.push(sample)
      if (samples.length % 12 === 1) {
        log(
          `t=${t}s requests ${sample.requests} (non-2xx ${bad}, errors ${sample.errors}); RSS web ${sample.web_rss_mb} MB, ` +
            `worker ${sample.worker_rss_mb} MB; mail: ${sample.queue.total - before.total} queued in all, ` +
            `${sample.queue.queued} waiting, ${sample.received} received; SMTP ${smtp.running ? 'up' : 'DOWN'}`
        )
      }
      await sleep(SAMPLE_EVERY_MS - ((Date.now() - loadStart.getTime()) % SAMPLE_EVERY_MS))
    }
  })()
  const result = await mix.done
  const loadEnd = Date.now()
  const cpuAfter = cpuSample()
  const rssEndOfLoad = { web: memoryMb(web.child.pid!, 'VmRSS'), worker: memoryMb(worker.child.pid!, 'VmRSS') }
  if (!smtp.running) await smtp.start() // a run shorter than its outage: the drain needs SMTP
  log(`load finished: ${result.requests.sent} requests sent; RSS web ${rssEndOfLoad.web} MB, worker ${rssEndOfLoad.worker} MB; draining`)

  // Drain: every soak reminder queued (the due pass runs once a minute) and nothing left unsent.
  const drainStart = Date.now()
  let drained = false
  while (Date.now() - drainStart < DRAIN_MINUTES * 60_000) {
    const q = await queueCounts(appDb)
    if (q.soak_reminders_queued >= MAILS && q.queued + q.sending === 0) {
      drained = true
      break
    }
    await sleep(1000)
  }
  const drainSeconds = round((Date.now() - drainStart) / 1000, 0)
  // A duplicate could only come from an attempt still under way: give stragglers a moment.
  await sleep(3000)
  sampling = false
  await sampler

  const after = await queueCounts(appDb)
  const rssEnd = { web: memoryMb(web.child.pid!, 'VmRSS'), worker: memoryMb(worker.child.pid!, 'VmRSS') }
  const peak = { web: memoryMb(web.child.pid!, 'VmHWM'), worker: memoryMb(worker.child.pid!, 'VmHWM') }
  const { rows: attemptRows } = await appDb.query(
    `select attempts, count(*)::int as n from mail_messages where created_at >= $1 group by attempts order by attempts`,
    [loadStart.toISOString()]
  )
  const { rows: idRows } = await appDb.query(`select message_id, status from mail_messages where id > $1`, [historyUpTo])
  const { rows: skippedRows } = await appDb.query(
    `select count(*)::int as n from appointment_reminders r join appointments a on a.id = r.appointment_id
       join clients c on c.id = a.client_id
      where c.email like 'soak-reminder-%@example.test' and r.mail_message_id is null`
  )
  await appDb.end().catch(() => {})

  const webStop = await stopGracefully(web, 'web')
  const workerStop = await stopGracefully(worker, 'worker')
  await smtp.stop()

  // Mail: every row queued is received exactly once.
  const received = smtp.messages
  const receivedIds = new Map<string, number>()
  for (const message of received) receivedIds.set(message.messageId, (receivedIds.get(message.messageId) ?? 0) + 1)
  const duplicates = [...receivedIds.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0)
  const queuedIds = new Set(idRows.map((row) => row.message_id as string))
  const missing = [...queuedIds].filter((id) => !receivedIds.has(id)).length
  const stray = [...receivedIds.keys()].filter((id) => !queuedIds.has(id)).length
  const soakMails = after.total - before.total

  const statuses = Object.fromEntries([...mix.statuses].sort(([a], [b]) => a - b))
  const { ok, bad } = mix.counts()
  const errors = mix.errors() + (result.timeouts ?? 0)
  const sorted = [...mix.latencies].sort((a, b) => a - b)
  const cpu = cpuShares(cpuBefore, cpuAfter)
  const loadAverageAtEnd = os.loadavg().map((n) => round(n, 2))

  const checks = [
    { check: 'non-2xx responses', measured: String(bad), met: bad === 0 },
    { check: 'request errors and timeouts', measured: String(errors), met: errors === 0 },
    { check: `at least 1 000 mails queued during the run`, measured: String(soakMails), met: soakMails >= 1000 },
    { check: `every soak reminder queued (${MAILS})`, measured: String(after.soak_reminders_queued), met: after.soak_reminders_queued === MAILS },
    { check: `queue drained within ${DRAIN_MINUTES} min of the load's end`, measured: drained ? `yes, in ${drainSeconds} s` : `NO (${after.queued} queued, ${after.sending} sending after ${drainSeconds} s)`, met: drained },
    { check: 'distinct Message-IDs received = mails queued', measured: `${receivedIds.size} received, ${queuedIds.size} queued (${missing} never received, ${stray} not from the queue)`, met: receivedIds.size === queuedIds.size && missing === 0 && stray === 0 },
    { check: 'no mail received twice', measured: `${duplicates} duplicates`, met: duplicates === 0 },
    { check: 'no mail failed for good', measured: String(after.failed), met: after.failed === 0 },
    { check: 'web and worker exit 0 on SIGTERM', measured: `web ${webStop.exit_code} in ${webStop.seconds} s, worker ${workerStop.exit_code} in ${workerStop.seconds} s`, met: webStop.exit_code === 0 && workerStop.exit_code === 0 },
  ]

  const duringOutage = samples.filter((s) => !s.smtp_up)
  const maxWaiting = Math.max(0, ...samples.map((s) => (s.queue.queued ?? 0) + (s.queue.sending ?? 0)))
  const perMinute = [...mix.perMinute].sort(([a], [b]) => a - b).map(([minute, values]) => {
    const s = [...values].sort((a, b) => a - b)
    const atEnd = samples.filter((x) => x.t <= (minute + 1) * 60).at(-1)
    return {
      minute: minute + 1,
      requests: values.length,
      p50: round(percentile(s, 50)),
      p99: round(percentile(s, 99)),
      max: round(s.at(-1) ?? NaN),
      web_rss: atEnd?.web_rss_mb ?? NaN,
      worker_rss: atEnd?.worker_rss_mb ?? NaN,
      smtp: samples.some((x) => x.t > minute * 60 && x.t <= (minute + 1) * 60 && !x.smtp_up) ? 'down' : 'up',
      received: atEnd?.received ?? NaN,
      waiting: atEnd ? atEnd.queue.queued + atEnd.queue.sending : NaN,
    }
  })
  const allMet = checks.every((c) => c.met)
  const md = [
    '# Soak: latest run',
    '',
    `\`npm run soak\`, ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC, ` +
      `${round((Date.now() - started) / 60_000, 1)} min end to end. ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ` +
      `${round(os.totalmem() / 2 ** 30, 1)} GB, Node ${process.version}. **Shared machine**: load average ${loadAverageAtStart.join(' / ')} ` +
      `at the start, ${loadAverageAtEnd.join(' / ')} at the end; other processes used ${cpu.other_processes_pct}% of the two cores during the load ` +
      `(web ${cpu.web_pct}%, worker ${cpu.worker_pct}%, PostgreSQL ${cpu.postgres_pct}%, autocannon + SMTP ${cpu.load_generator_pct}%; machine busy ${cpu.machine_busy_pct}%).`,
    '',
    `Load: ${MINUTES} min of the bench's portal mix (${PORTAL_MIX.map((p) => `\`${p}\``).join(', ')} in turn, the 50 signed-in portal ` +
      `accounts of the small data set rotated) at ${RATE > 0 ? `${RATE} req/s` : 'full speed'} over ${CONNECTIONS} connections; one web ` +
      `process (\`node --max-old-space-size=192 build/bin/server.js\`, production) and one worker (\`node build/ace.js jobs:work\`). ` +
      `Mail: ${MAILS} appointment reminders falling due evenly over the run, queued by the worker's own due pass and sent to a local SMTP ` +
      `server, which was stopped from ${round(outage.stopped_at_s, 0)} s to ${round(outage.started_at_s, 0)} s of the run; ` +
      `production retry settings (30 s backoff doubling, 8 attempts).`,
    '',
    '| check | measured | met |',
    '| --- | --- | --- |',
    ...checks.map((c) => `| ${c.check} | ${c.measured} | ${c.met ? 'yes' : '**no**'} |`),
    '',
    `- requests: ${ok + bad} (${round((ok + bad) / ((loadEnd - loadStart.getTime()) / 1000), 0)} req/s), statuses ${JSON.stringify(statuses)}; ` +
      `latency p50 ${round(percentile(sorted, 50))} ms, p95 ${round(percentile(sorted, 95))} ms, p99 ${round(percentile(sorted, 99))} ms, max ${round(sorted.at(-1) ?? NaN)} ms`,
    `- RSS web: **${rssStart.web} MB** at the start, ${rssEndOfLoad.web} MB at the end of the load, **${rssEnd.web} MB** after the drain (peak ${peak.web} MB)`,
    `- RSS worker: **${rssStart.worker} MB** at the start, ${rssEndOfLoad.worker} MB at the end of the load, **${rssEnd.worker} MB** after the drain (peak ${peak.worker} MB)`,
    `- mail: ${soakMails} queued during the run (${after.soak_reminders_queued} soak reminders` +
      (soakMails > after.soak_reminders_queued ? `, ${soakMails - after.soak_reminders_queued} of the data set's own` : '') + `), ` +
      `${received.length - receivedBefore} received during it, ${duplicates} twice; at most ${maxWaiting} waiting at once; ` +
      `${duringOutage.length ? `${duringOutage.at(-1)!.queue.queued} waiting when SMTP came back` : 'no outage'}; ` +
      `drained ${drainSeconds} s after the load ended; attempts per mail: ${attemptRows.map((r) => `${r.attempts}× ${r.n}`).join(', ')}` +
      (skippedRows[0]?.n ? `; ${skippedRows[0].n} reminders not sent (mayContact)` : ''),
    `- before the run the data set's own due reminders were sent: ${before.total} mails (${receivedBefore} received), counted in the exactly-once check too`,
    '',
    '| minute | requests | p50 ms | p99 ms | max ms | SMTP | mails received (cumulative) | mails waiting | web RSS MB | worker RSS MB |',
    '| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
    ...perMinute.map((m) => `| ${m.minute} | ${m.requests} | ${m.p50} | ${m.p99} | ${m.max} | ${m.smtp} | ${m.received} | ${m.waiting} | ${m.web_rss} | ${m.worker_rss} |`),
    '',
    `Settings: SOAK_MINUTES=${MINUTES} SOAK_OUTAGE_MINUTES=${OUTAGE_MINUTES} SOAK_MAILS=${MAILS} SOAK_DRAIN_MINUTES=${DRAIN_MINUTES} ` +
      `SOAK_CONNECTIONS=${CONNECTIONS} SOAK_RATE=${RATE}. Overall: **${allMet ? 'all checks met' : 'CHECKS FAILED'}**.`,
    '',
  ].join('\n')
  await mkdir(RESULTS, { recursive: true })
  await writeFile(join(RESULTS, 'soak-latest.md'), md)
  await writeFile(join(RESULTS, 'soak-latest.json'), JSON.stringify({ checks, samples, perMinute, cpu, rssStart, rssEndOfLoad, rssEnd, peak, statuses }, null, 2) + '\n')
  console.log('\n' + md)
  if (!allMet) process.exitCode = 1
}

try {
  await main()
} catch (error) {
  process.exitCode = 1
  console.error(error)
} finally {
  await cleanUp()
  log(KEEP ? `stopped; data kept in ${workDir}` : 'stopped; temporary data removed')
  process.exit()
}
