import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLIENT_DATA_MODELS, ROOT, filesUnder, importsOf, resolveImport } from '#tests/helpers/imports'

/*
| Portal controllers and portal actions reach client data only through the
| PortalContext (app/portal): they may name a client-data model as a type,
| never import it as a value, so no portal code can query a client's table
| outside the request's RLS transaction or without forClient.
| The client-data models are the ones the PortalContext serves.
*/
const GUARDED_FOLDERS = ['app/controllers/portal', 'app/actions/portal']

/** Every import of a client-data model in this source that is not type-only. */
function valueImportsOfClientData(source: string, fileName: string) {
  return importsOf(source, fileName)
    .filter(({ typeOnly, specifier }) => !typeOnly && CLIENT_DATA_MODELS.has(resolveImport(specifier, fileName) ?? ''))
    .map(({ line, text }) => `${fileName}:${line} ${text}`)
}

test.group('Portal code reaches client data only through the PortalContext', () => {
  test('the models with client data are known', ({ assert }) => {
    assert.sameMembers(
      [...CLIENT_DATA_MODELS],
      ['appointment', 'appointment_request', 'client', 'client_preference', 'emergency_contact', 'resource', 'resource_share', 'waitlist_entry'].map((name) => `app/models/${name}.ts`)
    )
  })

  test('portal controllers and portal actions import client-data models only as types', ({ assert }) => {
    const files = GUARDED_FOLDERS.flatMap(filesUnder)
    assert.isAbove(files.length, 10)
    const found = files.flatMap((file) => valueImportsOfClientData(readFileSync(join(ROOT, file), 'utf8'), file))
    assert.deepEqual(found, [], 'use portal.query(…) / portal.create(…) instead')
  })

  test('the check tells a value import from a type import', ({ assert }) => {
    const source = [
      `import Appointment from '#models/appointment'`,
      `import { STATUS_LABELS } from '#models/appointment'`,
      `import type Client from '#models/client'`,
      `import { type default as Resource } from '#models/resource'`,
      `import EmergencyContact, { type Foo } from '../../models/emergency_contact.js'`,
      `import StaffUser from '#models/staff_user'`,
      `const lazy = () => import('#models/client')`,
      `let typed: import('#models/client').default`,
    ].join('\n')
    const found = valueImportsOfClientData(source, 'app/controllers/portal/example_controller.ts')
    assert.deepEqual(
      found.map((line) => line.split(' ')[0]),
      [
        'app/controllers/portal/example_controller.ts:1',
        'app/controllers/portal/example_controller.ts:2',
        'app/controllers/portal/example_controller.ts:5',
        'app/controllers/portal/example_controller.ts:7',
      ]
    )
  })
})
