import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Client from '#models/client'
import ClientUser from '#models/client_user'
import { asPrepared, fixedStatement } from '#services/prepared_statements'
import { createClient, createPortalAccount } from '#database/factories/main'

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

  test('a fixed statement is named once for its text, prepared once and reused with other values', async ({ assert }) => {
    const [first, second] = [await createClient(), await createClient()]
    const readName = fixedStatement('test_fixed_read', 'select last_name from clients where id = ? limit 1')
    await db.transaction(async (trx) => {
      assert.equal((await readName(trx, [first.id])).rows[0].last_name, first.lastName)
      assert.equal((await readName(trx, [second.id])).rows[0].last_name, second.lastName)
      assert.lengthOf((await readName(trx, [-1])).rows, 0)
      const { rows } = await trx.rawQuery(`select statement from pg_prepared_statements where name like 'test_fixed_read_%'`)
      assert.lengthOf(rows, 1)
      assert.include(rows[0].statement, 'where id = $1 limit 1')
    })
  })

  test("the guard's account lookup (one fixed statement) brings the live links, their clients and discreet mode", async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client, 'self')
    const found = await ClientUser.findWithLiveLinks(account.id)
    assert.equal(found?.id, account.id)
    assert.equal(found?.email, account.email)
    assert.isTrue(found?.$isPersisted)
    assert.deepEqual(found?.liveLinks?.map((link) => [link.clientId, link.client.id, link.$extras.discreet_mode]), [[client.id, client.id, false]])
    // The same account through the query builder's scope: the same links.
    const scoped = await ClientUser.query().withScopes((scopes) => scopes.withLiveLinks()).where('id', account.id).firstOrFail()
    assert.deepEqual(scoped.liveLinks?.map((link) => link.id), found?.liveLinks?.map((link) => link.id))
    assert.isNull(await ClientUser.findWithLiveLinks(-1))
  })
})
