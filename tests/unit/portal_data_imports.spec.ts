import { test } from '@japa/runner'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

/*
| Portal controllers and portal actions reach client data only through the
| PortalContext (app/portal): they may name a client-data model as a type,
| never import it as a value, so no portal code can query a client's table
| outside the request's RLS transaction or without forClient.
| The client-data models are the ones the PortalContext serves.
*/
const ROOT = new URL('../../', import.meta.url).pathname
const GUARDED_FOLDERS = ['app/controllers/portal', 'app/actions/portal']

function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(folder, name))
}

/** The client-data models: those the PortalContext serves (app/portal/client_data.ts imports each). */
const clientDataModels = new Set(
  [...readFileSync(join(ROOT, 'app/portal/client_data.ts'), 'utf8').matchAll(/^import \w+ from '(#models\/\w+)'/gm)].map(
    ([, specifier]) => specifier
  )
)

/** `#models/x` however the file names it (alias, or a relative path). */
function modelSpecifier(specifier: string, fromFile: string) {
  if (specifier.startsWith('#models/')) return specifier.replace(/\.js$/, '')
  if (!specifier.startsWith('.')) return specifier
  const target = relative(ROOT, join(ROOT, fromFile, '..', specifier)).replace(/\.(js|ts)$/, '')
  return target.startsWith('app/models/') ? `#models/${target.slice('app/models/'.length)}` : target
}

/** Every import of a client-data model in this source that is not type-only. */
export function valueImportsOfClientData(source: string, fileName: string, models = clientDataModels) {
  const found: string[] = []
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true)
  const check = (specifier: ts.Expression | undefined, typeOnly: boolean, node: ts.Node) => {
    if (!specifier || !ts.isStringLiteral(specifier) || typeOnly) return
    if (models.has(modelSpecifier(specifier.text, fileName))) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart())
      found.push(`${fileName}:${line + 1} ${node.getText().split('\n')[0]}`)
    }
  }
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause
      // Side-effect imports and `import { type A, type B }` count as value imports unless every part is a type.
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)))
      check(node.moduleSpecifier, typeOnly, node)
    } else if (ts.isExportDeclaration(node)) {
      check(node.moduleSpecifier, node.isTypeOnly, node)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      check(node.arguments[0], false, node)
    } else if (ts.isImportTypeNode(node)) {
      return // `import('#models/x').default` in a type position is a type
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found
}

test.group('Portal code reaches client data only through the PortalContext', () => {
  test('the models with client data are known', ({ assert }) => {
    for (const model of ['#models/appointment', '#models/client', '#models/client_preference', '#models/emergency_contact', '#models/resource', '#models/resource_share']) {
      assert.isTrue(clientDataModels.has(model), model)
    }
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
