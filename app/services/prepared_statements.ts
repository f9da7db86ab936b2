import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/*
| Prepared statements for the few fixed statements every page runs (issue
| #25). node-postgres prepares a statement that has a name once on each
| pooled connection (PostgreSQL parses and plans it once) and afterwards
| only binds and executes it; planning was most of PostgreSQL's time on a
| portal page. knex hands a query's options to node-postgres, so naming is
| all it takes.
|
| A name must always stand for one text (node-postgres refuses a second
| text under a name it has prepared), so the name carries a digest of the
| text. Parameters stay parameters: the text never holds a value, so the
| names kept below hold no data either.
*/

/** Names already made, by label and text: the same few statements run on every page. */
const names = new Map<string, string>()
const MAX_NAMES = 500

/** A statement name for this SQL text: the label, and a digest of the text. */
function preparedName(label: string, sql: string) {
  const key = `${label}\u0000${sql}`
  let name = names.get(key)
  if (!name) {
    name = `${label}_${digest(sql)}`
    if (names.size >= MAX_NAMES) names.delete(names.keys().next().value!)
    names.set(key, name)
  }
  return name
}

function digest(sql: string) {
  return createHash('sha256').update(sql).digest('hex').slice(0, 16)
}

/** Gives a query a statement name when knex compiles it to run (its runner calls `toSQL()` once). */
function named(knexQuery: { toSQL: () => Knex.Sql }, name: (sql: string) => string) {
  const compile = knexQuery.toSQL.bind(knexQuery)
  knexQuery.toSQL = () => {
    const compiled = compile()
    return Object.assign(compiled, { options: { ...compiled.options, name: name(compiled.sql) } })
  }
}

/**
 * A statement every request runs, kept as SQL text (values as `?`) and named
 * once. Building it with the query builder instead compiled it again on every
 * request: for the session read and the account lookup, about a tenth of a
 * millisecond of CPU per portal page (issue #25). Resolves to node-postgres'
 * result (`rows`).
 */
export function fixedStatement(label: string, sql: string) {
  const name = `${label}_${digest(sql)}`
  return (client: QueryClientContract, bindings: readonly (string | number | null)[]) => {
    const query = client.rawQuery<{ rows: Record<string, any>[] }>(sql, bindings as any[])
    named(query.knexQuery as { toSQL: () => Knex.Sql }, () => name)
    return query
  }
}

/**
 * Names a query built by Lucid or knex after its own SQL text, so it is
 * prepared on each connection. For fixed shapes only (the same chain every
 * time, values as parameters): every distinct text stays prepared on every
 * pooled connection for the life of the connection.
 *
 * The name is given when knex compiles the query to run it (its runner
 * calls `toSQL()` once), so the query is not compiled twice for it.
 */
export function asPrepared<Query extends { knexQuery: Knex.QueryBuilder | Knex.Raw }>(query: Query, label: string) {
  named(query.knexQuery as { toSQL: () => Knex.Sql }, (sql) => preparedName(label, sql))
  return query
}
