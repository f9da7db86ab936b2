import db from '@adonisjs/lucid/services/db'
import { ModelPaginator } from '@adonisjs/lucid/orm'
import type { LucidModel, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import { asPrepared } from '#services/prepared_statements'

/*
| Lucid's paginate() asks for the rows and then for the total, two round
| trips. Here the total rides along with the rows (`count(*) over ()`), so a
| page is one statement. Only a page past the end (no rows to carry the
| total) counts separately, so it still reads "page 9 of 3" honestly.
|
| Kept by measurement (issue #25, README "Benchmark"): with Lucid's
| paginate() instead, /portal/appointments cost 0.89 ms more CPU per page
| (app + PostgreSQL, median of three runs), the second statement's round
| trip and planning.
|
| The query must select its columns itself (`.select('appointments.*')`):
| the total is added to that list.
*/
export async function paginateInOneStatement<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model, InstanceType<Model>>,
  page: number,
  perPage: number,
  options: { prepared?: string } = {}
) {
  const counting = query.clone()
  query.select(db.raw('count(*) over () as total_rows')).forPage(page, perPage)
  // A page's shape does not change with its number (limit and offset are parameters): it may be prepared.
  const rows = await (options.prepared ? asPrepared(query, options.prepared) : query)

  let total = rows.length ? Number(rows[0].$extras.total_rows) : 0
  if (!rows.length && page > 1) {
    const [{ total: counted }] = await counting.clearSelect().clearOrder().count('* as total').pojo<{ total: string }>()
    total = Number(counted)
  }
  return new ModelPaginator(total, perPage, page, ...rows)
}
