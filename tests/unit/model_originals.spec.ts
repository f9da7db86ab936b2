import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import lodash from '@poppinss/utils/lodash'
import { BaseModel } from '@adonisjs/lucid/orm'
import AuditEvent from '#models/audit_event'
import Client from '#models/client'

/*
| start/models.ts: the copy of a row's attributes Lucid keeps to tell what
| changed ($original) must be what Lucid's own lodash merge made.
*/
test.group('Model originals', () => {
  test('the copy equals lodash.merge: data copied, DateTime and Date shared', ({ assert }) => {
    // The app's copy is in place (start/models.ts), not Lucid's merge.
    assert.include(BaseModel.prototype.$hydrateOriginals.toString(), 'copyOf')
    const occurredAt = DateTime.fromISO('2026-03-09T14:00:00Z')
    const when = new Date('2026-03-09T14:00:00Z')
    const attributes = {
      id: 7,
      action: 'portal.home.viewed',
      nothing: null,
      detail: { ids: [1, 2, { deep: ['x'] }], flag: true, nested: { at: occurredAt } },
      bytes: Buffer.from('abc'),
      occurredAt,
      when,
    }
    const event = new AuditEvent()
    event.$attributes = attributes
    event.$hydrateOriginals()
    const byLodash = {}
    lodash.merge(byLodash, attributes)

    assert.deepEqual(event.$original, byLodash)
    assert.notStrictEqual(event.$original.detail, attributes.detail)
    assert.notStrictEqual(event.$original.detail.ids[2], attributes.detail.ids[2])
    assert.notStrictEqual(event.$original.bytes, attributes.bytes)
    assert.strictEqual(event.$original.occurredAt, occurredAt)
    assert.strictEqual(event.$original.detail.nested.at, occurredAt)
    assert.strictEqual(event.$original.when, when)
    assert.strictEqual((byLodash as any).when, when)
  })

  test('a change inside a JSON column is still seen as a change', ({ assert }) => {
    const event = new AuditEvent()
    event.$attributes = { id: 1, detail: { count: 1, list: ['a'] } }
    event.$hydrateOriginals()
    event.$isPersisted = true
    assert.isFalse(event.$isDirty)
    event.detail.list.push('b')
    assert.deepEqual(event.$dirty, { detail: { count: 1, list: ['a', 'b'] } })
  })

  test('a model read from a row starts clean and sees a changed field', ({ assert }) => {
    const client = Client.$createFromAdapterResult({ id: 3, first_name: 'Ana', last_name: 'Ruiz', date_of_birth: '2001-02-03' })!
    assert.isFalse(client.$isDirty)
    client.firstName = 'Anna'
    assert.deepEqual(Object.keys(client.$dirty), ['firstName'])
  })
})
