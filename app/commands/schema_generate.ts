import { readFile, writeFile } from 'node:fs/promises'
import LucidSchemaGenerate from '@adonisjs/lucid/commands/schema_generate'

/*
| Lucid's `schema:generate` (which `migration:run` runs in development),
| with its classes written in one fixed order: Lucid lists the tables in the
| database's collation order, which differs between clusters, so the same
| schema came out reordered and a fresh clone went dirty on first start.
*/
export default class SchemaGenerate extends LucidSchemaGenerate {
  static commandName = 'schema:generate'
  static description = LucidSchemaGenerate.description

  async run() {
    await super.run()
    if (this.exitCode) return
    const outputPath = this.app.makePath('database/schema.ts')
    const generated = await readFile(outputPath, 'utf-8').catch(() => null)
    if (generated !== null) await writeFile(outputPath, sortSchemaClasses(generated))
  }
}

/** The file's header, then its `export class` blocks sorted by class name. */
export function sortSchemaClasses(source: string) {
  const first = source.indexOf('export class ')
  if (first === -1) return source
  const header = source.slice(0, first)
  const blocks = source
    .slice(first)
    .split(/\n(?=export class )/)
    .map((block) => block.trim())
  blocks.sort((a, b) => (className(a) < className(b) ? -1 : className(a) > className(b) ? 1 : 0))
  return `${header}${blocks.join('\n\n')}\n`
}

const className = (block: string) => /^export class (\w+)/.exec(block)?.[1] ?? ''
