import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Client from '#models/client'
import { asPrepared } from '#services/prepared_statements'
import { createClient } from '#database/factories/main'

/*
| The statements every page runs are prepared once per pooled connection
| (issue #25): a name per SQL text, reused with other values, never one
| name for two texts.
*/
test.group('Prepared statements', () => {
  test('a named query is prepared once on its connection and reused with other values', async ({ assert }) => {
    const [first, second] = [await createClient(), await createClient()]
    // One transaction: one connection, whose prepared statements pg_prepared_statements lists.
    await db.transaction(async (trx) => {
      const read = (id: number) => asPrepared(Client.query({ client: trx }).where('clients.id', id).limit(1), 'test_client_read').first()
      assert.equal((await read(first.id))?.id, first.id)
      assert.equal((await read(second.id))?.id, second.id)
      const { rows } = await trx.rawQuery(`select name, statement from pg_prepared_statements where name like 'test_client_read_%'`)
      assert.lengthOf(rows, 1)
      assert.match(rows[0].statement, /where "clients"\."id" = \$1 limit \$2/)
      // The value is a parameter: neither client's id is in the statement's text.
      assert.notInclude(rows[0].statement, String(first.id))
    })
  })

  test('another text under the same label gets its own name: no clash, both prepared', async ({ assert }) => {
    const client = await createClient()
    await db.transaction(async (trx) => {
      const byId = await asPrepared(Client.query({ client: trx }).where('clients.id', client.id).limit(1), 'test_label').first()
      const byName = await asPrepared(
        Client.query({ client: trx }).where('clients.last_name', client.lastName).where('clients.id', client.id).limit(1),
        'test_label'
      ).first()
      assert.equal(byId?.id, client.id)
      assert.equal(byName?.id, client.id)
      const { rows } = await trx.rawQuery(`select name from pg_prepared_statements where name like 'test_label_%'`)
      assert.lengthOf(rows, 2)
    })
  })
})
