import db from '@adonisjs/lucid/services/db'
import { ModelPaginator } from '@adonisjs/lucid/orm'
import type { LucidModel, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'

/*
| Lucid's paginate() asks for the rows and then for the total, two round
| trips. Here the total rides along with the rows (`count(*) over ()`), so a
| page is one statement. Only a page past the end (no rows to carry the
| total) counts separately, so it still reads "page 9 of 3" honestly.
*/
export async function paginateInOneStatement<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model, InstanceType<Model>>,
  page: number,
  perPage: number
) {
  const counting = query.clone()
  // Lucid's query builders expose their select list at run time (not in the types).
  const selectsColumns = (query as unknown as { columns: unknown[] }).columns.length > 0
  if (!selectsColumns) query.select(`${query.model.table}.*`)
  const rows = await query.select(db.raw('count(*) over () as total_rows')).forPage(page, perPage)

  let total = rows.length ? Number(rows[0].$extras.total_rows) : 0
  if (!rows.length && page > 1) {
    const [{ total: counted }] = await counting.clearSelect().clearOrder().count('* as total').pojo<{ total: string }>()
    total = Number(counted)
  }
  return new ModelPaginator(total, perPage, page, ...rows)
}
