import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'

const run = promisify(execFile)

/*
| Generated files that are committed must come out byte-identical in every
| environment, or a fresh clone goes dirty on its first `npm run dev`
| (walkthrough #14 item 12).
*/
test.group('Generated files', () => {
  test('the route types written by this (test) app are the committed file', async ({ assert }) => {
    // Every app outside production writes .adonisjs/server/routes.d.ts when it is ready, as this one did.
    const { stdout } = await run('git', ['status', '--porcelain', '--', '.adonisjs/server/routes.d.ts'], {
      cwd: app.makePath(),
    })
    assert.equal(stdout, '', 'routes.d.ts differs from the committed file: commit the regenerated one')
  })

  test('the schema classes generated as development does are the committed database/schema.ts', async ({ assert }) => {
    const path = app.makePath('database/schema.ts')
    const committed = (await run('git', ['show', 'HEAD:database/schema.ts'], { cwd: app.makePath() })).stdout
    const before = await readFile(path, 'utf-8')
    try {
      // Development's generator (the one `migration:run` runs there), on this run's migrated database.
      await run(process.execPath, ['ace.js', 'schema:generate'], {
        cwd: app.makePath(),
        env: { ...process.env, NODE_ENV: 'development' },
        timeout: 120_000,
      })
      assert.equal(await readFile(path, 'utf-8'), committed)
    } finally {
      await writeFile(path, before)
    }
  }).timeout(150_000)
})
