/*
| The reminder due pass under load (issue #17, "Performance"): on a data set
| already loaded (the large one in `npm run bench`), adds 10 000 appointments
| due for a reminder — 10 000 new adult clients with an email on file and a
| 72 h lead, each with one appointment in the next 27 hours, spread over 400
| new clinicians so no booking clashes — then
|   1. EXPLAINs (ANALYZE, BUFFERS) the due query (app/actions/reminders/due_query.ts)
|      with `now` bound, as the app role;
|   2. runs one pass as an operator would, `node ace reminders:send` from the
|      build, and times it (delivery is the mail worker's business: nothing
|      is sent here, the mails stay queued).
| Standalone, on a throw-away embedded PostgreSQL, migrated by the source
| tree's ace: `node --import=@poppinss/ts-exec bench/reminders.ts`.
*/
import { spawn } from 'node:child_process'
import { mkdtemp, rm, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import pg from 'pg'
import { numberedDueQuery } from '../app/actions/reminders/due_query.js'

export const DUE_REMINDERS = 10_000
const CLINICIANS = 400

export interface ReminderBench {
  due_appointments: number
  plan: string
  uses_index: boolean
  seq_scans: string[]
  explain_ms: number | null
  pass_seconds: number
  queued: number
  reminder_rows: number
  output: string
}

/** Adds the due appointments (set-based), as the app role. */
export async function prepareDueReminders(client: pg.Client, count = DUE_REMINDERS) {
  await client.query('begin')
  await client.query(
    `insert into staff_users (name, email, password, role, is_active)
     select format('Reminder Bench Clinician %s', g), format('reminder-clinician%s@bench.careincite.test', g),
            'not-a-password-hash', 'clinician', true
       from generate_series(1, $1::int) g`,
    [CLINICIANS]
  )
  await client.query(
    `insert into appointment_types (name, default_minutes) values ('Reminder bench session', 30)`
  )
  await client.query(
    `insert into clients (first_name, last_name, date_of_birth, email, status)
     select 'Reminder', format('Bench %s', g), date '1980-01-01', format('reminder-bench-%s@example.test', g), 'active'
       from generate_series(1, $1::int) g`,
    [count]
  )
  // The clients_create_preferences trigger wrote their preferences; the lead covers every slot below.
  await client.query(
    `insert into client_preferences (client_id, reminder_channel, reminder_lead_hours, consent_email)
     select id, 'email', 72, true from clients where email like 'reminder-bench-%@example.test'
     on conflict (client_id) do update set reminder_channel = 'email', reminder_lead_hours = 72, consent_email = true`
  )
  await client.query(
    `with c as (select id, row_number() over (order by id) - 1 as i from clients where email like 'reminder-bench-%@example.test'),
          s as (select id, row_number() over (order by id) - 1 as k from staff_users where email like 'reminder-clinician%@bench.careincite.test'),
          t as (select id from appointment_types where name = 'Reminder bench session')
     insert into appointments (client_id, provider_id, appointment_type_id, starts_at, ends_at, status, is_telehealth, location)
     select c.id, s.id, t.id,
            date_trunc('minute', now()) + interval '2 hours' + (c.i / $1) * interval '1 hour',
            date_trunc('minute', now()) + interval '2 hours 30 minutes' + (c.i / $1) * interval '1 hour',
            'scheduled', false, 'Main office'
       from c join s on s.k = c.i % $1 cross join t`,
    [CLINICIANS]
  )
  await client.query('commit')
  await client.query('analyze appointments, clients, client_preferences, appointment_reminders')
}

export async function benchReminders(options: {
  appUrl: string
  env: NodeJS.ProcessEnv
  /** Where `ace.js` is: the build (bench) or the source tree (standalone). */
  aceDir: string
  nodeArgs?: string[]
}): Promise<ReminderBench> {
  const client = new pg.Client({ connectionString: options.appUrl })
  await client.connect()
  try {
    await prepareDueReminders(client)
    const settings = await client.query('select default_reminder_lead_hours as lead from practice_settings where id = 1')
    const now = new Date().toISOString()
    const binds = [now, 60, now, 168, settings.rows[0].lead, now, 100_000]
    const due = await client.query(`select count(*)::int as n from (${numberedDueQuery()}) due`, binds)
    const explained = await client.query(`explain (analyze, buffers) ${numberedDueQuery()}`, binds)
    const plan = explained.rows.map((row) => row['QUERY PLAN']).join('\n')
    const seqScans = [...plan.matchAll(/Seq Scan on (\w+)/g)].map((match) => match[1])

    const started = Date.now()
    const output = await runAce(options, ['reminders:send'])
    const passSeconds = (Date.now() - started) / 1000
    const queued = await client.query(
      `select count(*)::int as n from mail_messages where template = 'appointment_reminder' and status = 'queued'`
    )
    const rows = await client.query('select count(*)::int as n from appointment_reminders')
    return {
      due_appointments: due.rows[0].n,
      plan,
      uses_index: /Index (Only )?Scan using appointments_scheduled_starts_at/.test(plan),
      seq_scans: seqScans,
      explain_ms: Number(plan.match(/Execution Time: ([\d.]+) ms/)?.[1] ?? NaN) || null,
      pass_seconds: Math.round(passSeconds * 10) / 10,
      queued: queued.rows[0].n,
      reminder_rows: rows.rows[0].n,
      output,
    }
  } finally {
    await client.end()
  }
}

function runAce(options: { env: NodeJS.ProcessEnv; aceDir: string; nodeArgs?: string[]; appUrl: string }, args: string[]) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'ace.js', ...args], {
      cwd: options.aceDir,
      env: { ...options.env, DATABASE_URL: options.appUrl },
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`ace ${args.join(' ')} exited ${code}: ${output}`))))
  })
}

/* Standalone: a throw-away embedded PostgreSQL, migrated as development does. */
if (process.argv[1]?.endsWith('bench/reminders.ts')) {
  const { startEmbeddedPostgres } = await import('../database/embedded_postgres.js')
  const root = new URL('../', import.meta.url).pathname
  await mkdir(join(root, 'tmp'), { recursive: true })
  const dir = await mkdtemp(join(root, 'tmp/bench-reminders-'))
  const pgServer = await startEmbeddedPostgres({ dataDir: dir, port: 55_373, databases: ['bench_reminders'], persistent: false, fast: true })
  try {
    const env = { ...process.env, NODE_ENV: 'development', DATABASE_URL: pgServer.urls.bench_reminders }
    await runAce({ env, aceDir: root, appUrl: pgServer.urls.bench_reminders }, ['migration:run', '--force'])
    const result = await benchReminders({ appUrl: pgServer.urls.bench_reminders, env, aceDir: root })
    const { output, ...figures } = result
    console.log(JSON.stringify({ ...figures, plan: undefined }, null, 2))
    console.log(result.plan)
    console.log(output.trim())
  } finally {
    await pgServer.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
