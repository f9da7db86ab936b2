import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

/*
| The app's imports, read from its source as text (the TypeScript parser; nothing
| is run): for tests of the rules about which code may reach which.
*/
export const ROOT = new URL('../../', import.meta.url).pathname

export interface ImportOf {
  specifier: string
  /** `import type`, `import { type A }` only, or `import('…')` in a type position. */
  typeOnly: boolean
  line: number
  text: string
}

/** The .ts files under a folder of the repository, as repository paths. */
export function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(folder, name))
}

/** Every import, re-export and `import()` of a source text. */
export function importsOf(source: string, fileName = 'source.ts'): ImportOf[] {
  const found: ImportOf[] = []
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true)
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean, node: ts.Node) => {
    if (!specifier || !ts.isStringLiteral(specifier)) return
    const { line } = file.getLineAndCharacterOfPosition(node.getStart())
    found.push({ specifier: specifier.text, typeOnly, line: line + 1, text: node.getText().split('\n')[0] })
  }
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause
      // A side-effect import runs the module; `import { type A, type B }` is a type import only if every part is.
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)))
      add(node.moduleSpecifier, typeOnly, node)
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly, node)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false, node)
    } else if (ts.isImportTypeNode(node)) {
      return
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found
}

const aliases = Object.entries(
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).imports as Record<string, string>
).map(([alias, target]) => [alias.replace('*', ''), target.replace(/^\.\//, '').split('*')[0]] as const)

/** The repository path an import names (`#models/client` → app/models/client.ts), or null for a package. */
export function resolveImport(specifier: string, fromFile: string): string | null {
  let path: string | null = null
  if (specifier.startsWith('.')) path = relative(ROOT, join(ROOT, fromFile, '..', specifier))
  for (const [alias, target] of aliases) {
    if (specifier.startsWith(alias)) path = target + specifier.slice(alias.length)
  }
  if (!path) return null
  path = path.replace(/\.js$/, '.ts')
  return path.endsWith('.ts') ? path : existsSync(join(ROOT, `${path}.ts`)) ? `${path}.ts` : path
}

/** The client-data models: those the PortalContext serves (app/portal/client_data.ts imports each). */
export const CLIENT_DATA_MODELS = new Set(
  importsOf(readFileSync(join(ROOT, 'app/portal/client_data.ts'), 'utf8'))
    .filter(({ typeOnly, specifier }) => !typeOnly && specifier.startsWith('#models/'))
    .map(({ specifier }) => resolveImport(specifier, 'app/portal/client_data.ts')!)
)
