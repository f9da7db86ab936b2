import { ResourceCategorySchema } from '#database/schema'
import { hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import Resource from '#models/resource'

export default class ResourceCategory extends ResourceCategorySchema {
  @hasMany(() => Resource, { foreignKey: 'categoryId' })
  declare resources: HasMany<typeof Resource>
}
