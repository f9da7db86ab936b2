import { ResourceCategorySchema } from '#database/schema'
import { hasMany, scope } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import db from '@adonisjs/lucid/services/db'
import Resource from '#models/resource'

export default class ResourceCategory extends ResourceCategorySchema {
  @hasMany(() => Resource, { foreignKey: 'categoryId' })
  declare resources: HasMany<typeof Resource>

  /** The order staff chose (the portal groups resources in it), then by name. */
  static inOrder = scope((query: ModelQueryBuilderContract<typeof ResourceCategory>) => {
    query.orderBy('position').orderBy('name').orderBy('id')
  })

  /** How many resources (archived ones included) are in each category, as `$extras.resources_count`. */
  static withResourceCount = scope((query: ModelQueryBuilderContract<typeof ResourceCategory>) => {
    query.withCount('resources')
  })

  /** Next position at the end of the list, for a new category. */
  static async nextPosition() {
    const row = await db.from('resource_categories').max('position as last').first()
    return row?.last === null || row?.last === undefined ? 1 : Number(row.last) + 1
  }

  /** Sets the positions given by category id (unknown ids are ignored), in one transaction. */
  static async reorder(positions: Map<number, number>) {
    await db.transaction(async (trx) => {
      for (const [id, position] of positions) {
        await trx.from('resource_categories').where('id', id).update({ position, updated_at: new Date() })
      }
    })
  }

  /** Postgres' unique violation on the name, for a clear form error when two people race. */
  static isDuplicateNameError(error: unknown) {
    const code = (error as { code?: string } | null)?.code
    const constraint = (error as { constraint?: string } | null)?.constraint
    return code === '23505' && (constraint ?? '').includes('name')
  }
}
