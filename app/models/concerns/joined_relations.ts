import db from '@adonisjs/lucid/services/db'
import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'

/*
| A belongsTo relation read in the same statement as its parent, through a
| join, instead of by a preload's second query: `joinedColumns` selects the
| related row as JSON under `as`; `setJoined` (from an afterFetch/afterFind
| hook) turns it into the relation, so views read `appointment.appointmentType`
| as if it had been preloaded.
|
| Kept by measurement (issue #25, README "Benchmark"): with `preload` instead
| (a query per relation: the appointments' type and provider name, the
| resources' category), a portal page cost 0.51 ms more CPU (app +
| PostgreSQL, mean of the three portal pages, medians of three runs).
| `$createFromAdapterResult` and `$setRelated` are the model's public
| hydration methods, the ones preload itself uses.
*/
export function joinedColumns(table: string, columns: string[], as: string) {
  const pairs = columns.map((column) => `'${column}', ${table}.${column}`).join(', ')
  return db.raw(`case when ${table}.id is null then null else json_build_object(${pairs}) end as ${as}`)
}

export function setJoined(rows: LucidRow[], as: string, relation: string, related: LucidModel) {
  for (const row of rows) {
    if (!(as in row.$extras)) continue
    const value = row.$extras[as]
    row.$setRelated(relation as never, (value ? related.$createFromAdapterResult(value) : null) as never)
  }
}
