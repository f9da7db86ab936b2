/*
| Test entry point (`npm test` → `node ace test` → this file).
|
| Without DATABASE_URL the suite starts its own throw-away embedded
| PostgreSQL in tmp/ (a test database and a scratch database for the
| migration round trip), migrates it, and removes it when the run ends.
*/
process.env.NODE_ENV = 'test'

import 'reflect-metadata'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { Ignitor, prettyPrintError } from '@adonisjs/core'
import { configure, processCLIArgs, run } from '@japa/runner'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../database/embedded_postgres.js'
import { startS3Server, type TestS3Server } from '../tests/helpers/s3_server.js'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

let database: EmbeddedPostgres | null = null
let s3Server: TestS3Server | null = null
const scratchDirs: string[] = []

async function prepareDatabase() {
  if (process.env.DATABASE_URL) return
  const dataDir = await mkdtemp(new URL('tmp/test-postgres-', APP_ROOT).pathname)
  scratchDirs.push(dataDir)
  database = await startEmbeddedPostgres({
    dataDir,
    port: 55433,
    databases: ['careincite_test', 'careincite_scratch'],
    persistent: false,
    fast: true,
  })
  process.env.DATABASE_URL = database.urls.careincite_test
  process.env.TEST_SCRATCH_DATABASE_URL = database.urls.careincite_scratch
}

/*
| A real S3 server for the run (tests/helpers/s3_server.ts): the Resource
| Library runs on it as well as on the local disk, and spawned app processes
| share files through it. The default disk stays `fs` unless DRIVE_DISK says.
*/
async function prepareS3() {
  if (process.env.S3_ENDPOINT) return
  const directory = await mkdtemp(new URL('tmp/test-s3-', APP_ROOT).pathname)
  scratchDirs.push(directory)
  s3Server = await startS3Server(directory)
  Object.assign(process.env, s3Server.env)
}

async function cleanUp() {
  await s3Server?.stop()
  await database?.stop()
  for (const dir of scratchDirs) await rm(dir, { recursive: true, force: true })
}

// tmp/ is git-ignored: a fresh clone does not have it yet.
await mkdir(new URL('tmp/', APP_ROOT), { recursive: true })
await prepareDatabase()
await prepareS3()
if (!process.env.DRIVE_ROOT) {
  const driveRoot = await mkdtemp(new URL('tmp/test-storage-', APP_ROOT).pathname)
  scratchDirs.push(driveRoot)
  process.env.DRIVE_ROOT = driveRoot
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listenIf(app.managedByPm2, 'SIGINT', () => app.terminate())
  })
  .testRunner()
  .configure(async (app) => {
    const { runnerHooks, ...config } = await import('../tests/bootstrap.js')

    processCLIArgs(process.argv.splice(2))
    configure({
      ...app.rcFile.tests,
      ...config,
      ...{
        setup: runnerHooks.setup,
        teardown: runnerHooks.teardown.concat([() => app.terminate(), cleanUp]),
      },
    })
  })
  .run(() => run())
  .catch(async (error) => {
    process.exitCode = 1
    prettyPrintError(error)
    await cleanUp()
  })
