import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import pg from 'pg'
import app from '@adonisjs/core/services/app'

const run = promisify(execFile)

test.group('Database', () => {
  test('the app connects as an ordinary role, not a superuser', async ({ assert }) => {
    const { rows } = await db.rawQuery(
      'select rolsuper, rolcreatedb, rolbypassrls from pg_roles where rolname = current_user'
    )
    assert.deepEqual(rows[0], { rolsuper: false, rolcreatedb: false, rolbypassrls: false })
  })

  test('audit events cannot be changed, deleted or truncated', async ({ assert }) => {
    const [row] = await db
      .table('audit_events')
      .insert({ action: 'test.append_only', actor_kind: 'system' })
      .returning('id')
    await assert.rejects(() => db.from('audit_events').where('id', row.id).update({ action: 'x' }))
    await assert.rejects(() => db.from('audit_events').where('id', row.id).delete())
    await assert.rejects(() => db.rawQuery('truncate audit_events'))
    const still = await db.from('audit_events').where('id', row.id).first()
    assert.equal(still.action, 'test.append_only')
  })

  test('migrations run up and down cleanly on an empty database', async ({ assert }) => {
    const scratch = process.env.TEST_SCRATCH_DATABASE_URL!
    const env = { ...process.env, NODE_ENV: 'test', DATABASE_URL: scratch }
    const options = { cwd: app.makePath(), env, timeout: 120_000 }
    const countTables = async () => {
      const client = new pg.Client({ connectionString: scratch })
      await client.connect()
      const { rows } = await client.query(
        `select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name <> 'adonis_schema' and table_name <> 'adonis_schema_versions'`
      )
      await client.end()
      return rows[0].n
    }

    await run(process.execPath, ['ace.js', 'migration:run', '--force'], options)
    assert.isAbove(await countTables(), 14)
    await run(process.execPath, ['ace.js', 'migration:rollback', '--batch=0', '--force'], options)
    assert.equal(await countTables(), 0)
    await run(process.execPath, ['ace.js', 'migration:run', '--force'], options)
    assert.isAbove(await countTables(), 14)
  })
    .timeout(180_000)
    // bin/test.ts creates the scratch database only in the embedded cluster it starts when DATABASE_URL is not set.
    .skip(!process.env.TEST_SCRATCH_DATABASE_URL, 'DATABASE_URL is set: no embedded scratch database to migrate up and down')
})
