import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { APP_ROLE_READERS_OF_CLIENT_DATA } from '#portal/client_data'
import { CLIENT_DATA_MODELS, ROOT, filesUnder, importsOf, resolveImport } from '#tests/helpers/imports'

/*
| Outside the portal and the staff application, only the processes listed in
| app/portal/client_data.ts read client data as the app role. A process reads
| it when its code, followed through the app's own modules (actions, services,
| jobs, support — not through models, which all reach each other by their
| relations), imports a client-data model as a value or names one of their
| tables in a string (raw SQL through `db`).
*/
const CLIENT_TABLES = ['clients', 'appointments', 'client_preferences', 'emergency_contacts', 'resources', 'resource_shares', 'waitlist_entries']

function readsClientData(entry: string) {
  const seen = new Set<string>()
  const queue = [entry]
  while (queue.length) {
    const file = queue.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    const source = readFileSync(join(ROOT, file), 'utf8')
    if (CLIENT_TABLES.some((table) => source.includes(`'${table}'`))) return true
    // Raw SQL in template strings (app/actions/insights/figures.ts): a client table after FROM or JOIN.
    if (CLIENT_TABLES.some((table) => new RegExp(`\\b(from|join)\\s+${table}\\b(?!\\.)`).test(source))) return true
    for (const { specifier, typeOnly } of importsOf(source, file)) {
      const target = resolveImport(specifier, file)
      if (typeOnly || !target?.endsWith('.ts')) continue
      if (CLIENT_DATA_MODELS.has(target)) return true
      if (target.startsWith('app/') && !target.startsWith('app/models/')) queue.push(target)
    }
  }
  return false
}

/** Each process and where its code starts: ace commands by name, the worker's jobs, the seeder. */
function processes() {
  const commands = filesUnder('app/commands').flatMap((file) => {
    const name = readFileSync(join(ROOT, file), 'utf8').match(/static commandName = '([^']+)'/)?.[1]
    return name ? [{ name, entry: file }] : []
  })
  const jobs = filesUnder('app/jobs').map((entry) => ({ name: 'jobs:work', entry }))
  const seeders = filesUnder('database/seeders').map((entry) => ({ name: 'db:seed', entry }))
  return [...commands, ...jobs, ...seeders]
}

test.group('Who reads client data as the app role', () => {
  test('exactly the processes listed by name', ({ assert }) => {
    const all = processes()
    assert.includeMembers(
      all.map(({ name }) => name),
      ['portal:invite', 'portal:disable', 'audit:export', 'tokens:purge', 'jobs:work', 'db:seed']
    )
    const readers = [...new Set(all.filter(({ entry }) => readsClientData(entry)).map(({ name }) => name))]
    assert.sameMembers(readers, Object.keys(APP_ROLE_READERS_OF_CLIENT_DATA))
  })

  test('the check finds client data behind an action and in raw SQL', ({ assert }) => {
    assert.isTrue(readsClientData('app/actions/invitations/send_invitation.ts'))
    assert.isFalse(readsClientData('app/services/audit.ts'))
    assert.isFalse(readsClientData('app/commands/tokens_purge.ts'))
    assert.isTrue(readsClientData('app/commands/insights_refresh.ts'))
  })
})
