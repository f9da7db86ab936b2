import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { randomUUID } from 'node:crypto'
import { auditBy } from '#services/audit'
import { SYSTEM_ACTOR } from '#support/actor'

/*
| Audit events are grouped into shared inserts under load (issue #25), and
| nothing may be lost for it: every caller returns only once its own event
| is committed, and a faulty event fails alone.
*/
test.group('Audit writes', () => {
  test('concurrent events share inserts; each caller returns only once its own event is stored', async ({ assert }) => {
    const run = randomUUID()
    const stored = await Promise.all(
      Array.from({ length: 40 }, async (_, index) => {
        await auditBy({ ...SYSTEM_ACTOR, ip: '127.0.0.1', userAgent: 'audit test' }, {
          action: 'test.grouped',
          actorKind: 'system',
          clientId: null,
          detail: { run, index },
        })
        // Read on another connection of another pool, right after this caller's own return.
        return db.from('audit_events').where('action', 'test.grouped').whereRaw(`detail->>'run' = ?`, [run]).whereRaw(`(detail->>'index')::int = ?`, [index]).first()
      })
    )
    assert.lengthOf(stored.filter(Boolean), 40)
    assert.deepEqual(
      stored.map((row) => [row.ip, row.user_agent, row.actor_kind]),
      Array.from({ length: 40 }, () => ['127.0.0.1', 'audit test', 'system'])
    )
    // Rows of one insert share its transaction id: 40 events went out in fewer inserts than 40.
    const { rows } = await db.rawQuery(
      `select count(distinct xmin::text)::int as inserts from audit_events where action = 'test.grouped' and detail->>'run' = ?`,
      [run]
    )
    assert.isBelow(rows[0].inserts, 40)
    assert.isAbove(rows[0].inserts, 0)
  })

  test('a faulty event fails alone: its caller gets the error, the others in its group are stored', async ({ assert }) => {
    const run = randomUUID()
    const good = Array.from({ length: 12 }, (_, index) =>
      auditBy(SYSTEM_ACTOR, { action: 'test.group_with_fault', actorKind: 'system', detail: { run, index } })
    )
    // The database's CHECK refuses this actor kind.
    const faulty = auditBy(SYSTEM_ACTOR, { action: 'test.group_with_fault', actorKind: 'nobody' as never, detail: { run, index: -1 } }).then(
      () => null,
      (error: Error) => error
    )
    const more = Array.from({ length: 12 }, (_, index) =>
      auditBy(SYSTEM_ACTOR, { action: 'test.group_with_fault', actorKind: 'system', detail: { run, index: 100 + index } })
    )
    await Promise.all([...good, ...more])
    const failure = await faulty
    assert.instanceOf(failure, Error)
    assert.match(failure!.message, /audit_events_actor_kind/)

    const { rows } = await db.rawQuery(
      `select (detail->>'index')::int as index from audit_events where action = 'test.group_with_fault' and detail->>'run' = ? order by 1`,
      [run]
    )
    assert.deepEqual(
      rows.map((row: { index: number }) => row.index),
      [...Array.from({ length: 12 }, (_, i) => i), ...Array.from({ length: 12 }, (_, i) => 100 + i)]
    )
  })

  test('a lone event is stored with exactly the fields its caller gave', async ({ assert }) => {
    const run = randomUUID()
    await auditBy(SYSTEM_ACTOR, { action: 'test.single', actorKind: 'system', actorId: 7, clientId: null, detail: { run, flag: true, none: null } })
    const row = await db.from('audit_events').where('action', 'test.single').whereRaw(`detail->>'run' = ?`, [run]).firstOrFail()
    assert.deepEqual(
      { actor_id: Number(row.actor_id), client_id: row.client_id, ip: row.ip, user_agent: row.user_agent, detail: row.detail },
      { actor_id: 7, client_id: null, ip: null, user_agent: null, detail: { run, flag: true, none: null } }
    )
  })
})
