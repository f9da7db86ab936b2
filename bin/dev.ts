/*
| `npm run dev`: everything a newcomer needs, from a fresh clone.
|
| 1. creates .env from .env.example with a fresh APP_KEY (first run only);
| 2. without DATABASE_URL, starts the embedded PostgreSQL in tmp/postgres
|    (created on first run, reused after) — here, not in the process that
|    hot reloads, so a reload never restarts the database;
| 3. runs migrations, and seeds the demo practice when the database is new;
| 4. runs `ace serve --hmr` and, beside it, the worker that sends mail
|    (`ace jobs:work`), then prints the URL and the demo sign-ins;
| 5. on Ctrl+C stops the server and the worker, then the database.
*/
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '../database/embedded_postgres.js'

const root = new URL('../', import.meta.url)
const rootPath = root.pathname

async function ensureDotEnv() {
  const dotEnv = new URL('.env', root)
  if (existsSync(dotEnv)) return
  const example = await readFile(new URL('.env.example', root), 'utf8')
  const key = randomBytes(32).toString('base64url')
  await writeFile(dotEnv, example.replace(/^APP_KEY=.*$/m, `APP_KEY=${key}`))
  console.log('Created .env with a new APP_KEY.')
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['ace.js', ...args], {
      cwd: rootPath,
      env,
      stdio: 'inherit',
    })
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`node ace ${args.join(' ')} exited with ${code}`))
    )
  })
}

/** Signals a child process and waits for it to exit (no-op when it is not running). */
async function halt(child: ReturnType<typeof spawn> | null, signal: NodeJS.Signals) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((done) => child.once('exit', done))
  child.kill(signal)
  await exited
}

async function isEmpty(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query('select count(*)::int as n from staff_users')
    return rows[0].n === 0
  } finally {
    await client.end()
  }
}

async function waitForHealth(url: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL('/health', url))
      if (response.ok) return true
    } catch {}
    await new Promise((done) => setTimeout(done, 500))
  }
  return false
}

async function main() {
  await ensureDotEnv()
  process.loadEnvFile(new URL('.env', root).pathname)
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development' }

  let database: EmbeddedPostgres | null = null
  if (!env.DATABASE_URL) {
    console.log('Starting the embedded PostgreSQL…')
    database = await startEmbeddedPostgres({
      dataDir: env.EMBEDDED_PG_DIR || 'tmp/postgres',
      port: Number(env.EMBEDDED_PG_PORT || 5433),
      databases: ['careincite'],
      persistent: true,
    })
    env.DATABASE_URL = database.urls.careincite
    console.log(`PostgreSQL is listening on 127.0.0.1:${database.port} (data in ${env.EMBEDDED_PG_DIR || 'tmp/postgres'}).`)
  }

  // Take the configured port, or the next free one, and say which.
  const configuredPort = Number(env.PORT || 3333)
  const port = await freePort(configuredPort)
  env.PORT = String(port)
  if (!env.APP_URL || env.APP_URL === `http://localhost:${configuredPort}`) {
    env.APP_URL = `http://localhost:${port}`
  }

  let server: ReturnType<typeof spawn> | null = null
  let worker: ReturnType<typeof spawn> | null = null
  let stopping = false
  const stop = async (code = 0) => {
    if (stopping) return
    stopping = true
    // The worker finishes the batch in hand (SIGTERM), so both go before the database.
    await Promise.all([halt(server, 'SIGINT'), halt(worker, 'SIGTERM')])
    await database?.stop()
    process.exit(code)
  }
  process.on('SIGINT', () => stop())
  process.on('SIGTERM', () => stop())

  try {
    await run(['migration:run'], env)
    if (await isEmpty(env.DATABASE_URL!)) {
      console.log('Seeding the demo practice…')
      await run(['db:seed'], env)
    }
  } catch (error) {
    console.error((error as Error).message)
    return stop(1)
  }

  server = spawn(process.execPath, ['ace.js', 'serve', '--hmr'], {
    cwd: rootPath,
    env,
    stdio: 'inherit',
  })
  server.once('exit', (code) => {
    if (!stopping) stop(code ?? 1)
  })

  // Sends queued mail: through SMTP_HOST when set, else into tmp/mail (see /dev/mailbox).
  worker = spawn(process.execPath, ['ace.js', 'jobs:work'], {
    cwd: rootPath,
    env,
    stdio: 'inherit',
  })
  worker.once('exit', (code) => {
    if (!stopping) console.error(`The mail worker stopped (exit code ${code}); mail stays queued until npm run dev starts again.`)
  })

  const url = `http://localhost:${port}`
  if (await waitForHealth(url)) {
    const password = env.DEMO_PASSWORD || 'calm-harbor-2026'
    console.log(`
  CareIncite is running at ${url}

  Staff sign-in     ${url}/login
    ceo@demo.careincite.test        (practice owner)
    admin@demo.careincite.test      (executive administrator)
    support@demo.careincite.test    (support staff)
    clinician@demo.careincite.test  (clinician)
  Client portal     ${url}/portal/login
    client@demo.careincite.test     (adult client)
    guardian@demo.careincite.test   (parent of two children, on appointments only for Sam, 14; Spanish)
    teen@demo.careincite.test       (Sam, 14, on his own account)
    client2@demo.careincite.test    (cancels to show Alex a waitlist offer)

  Password for every demo account: ${password}
  Two-factor key of the ceo and admin (add it to any authenticator app):
    ${env.DEMO_TOTP_SECRET || 'JBSWY3DPEHPK3PXP'}
  Mail${env.SMTP_HOST ? ` goes through ${env.SMTP_HOST}` : ` is captured: ${url}/dev/mailbox`}
  Press Ctrl+C to stop.
`)
  }
}

await main()
