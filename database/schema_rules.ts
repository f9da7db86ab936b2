import { type SchemaRules } from '@adonisjs/lucid/types/schema_generator'

/*
| Ids and counts are int8 in PostgreSQL and plain numbers here: the pg type
| parser set in config/database.ts returns them as numbers (all far below
| 2^53).
*/
const number = { tsType: 'number', imports: [], decorators: [{ name: '@column' }] }

export default {
  types: { bigint: number },
  primaryKey: (_table, primaryKeys, columns) => {
    const columnName = primaryKeys[0]
    if (!columnName || !columns[columnName]) return undefined
    const type = columns[columnName].type
    return {
      columnName,
      columnInfo: {
        tsType: type === 'bigint' || type === 'integer' ? 'number' : 'string',
        imports: [],
        decorators: [{ name: '@column', args: { isPrimary: true } }],
      },
    }
  },
} satisfies SchemaRules
