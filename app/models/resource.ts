import { ResourceSchema } from '#database/schema'
import { belongsTo, hasMany, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import ResourceCategory from '#models/resource_category'
import ResourceShare from '#models/resource_share'
import StaffUser from '#models/staff_user'
import db from '@adonisjs/lucid/services/db'

const FILE_TYPE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF document',
  'text/plain': 'Text file',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
}

export default class Resource extends ResourceSchema {
  @belongsTo(() => ResourceCategory, { foreignKey: 'categoryId' })
  declare category: BelongsTo<typeof ResourceCategory>

  @belongsTo(() => StaffUser, { foreignKey: 'uploadedById' })
  declare uploadedBy: BelongsTo<typeof StaffUser>

  @hasMany(() => ResourceShare)
  declare shares: HasMany<typeof ResourceShare>

  /** When this resource was shared with the client, as `$extras.shared_at`. */
  static withSharedAt = scope((query, clientId: number) => {
    query.select('resources.*').select(
      db.raw(
        '(select s.shared_at from resource_shares s where s.resource_id = resources.id and s.client_id = ?) as shared_at',
        [clientId]
      )
    )
  })

  /** Resources in category order, uncategorised last, for the portal's grouped list. */
  static groupByCategory(resources: Resource[]) {
    const groups = new Map<string, { name: string; position: number; resources: Resource[] }>()
    for (const resource of resources) {
      const name = resource.category?.name ?? 'Other resources'
      const position = resource.category?.position ?? Number.MAX_SAFE_INTEGER
      if (!groups.has(name)) groups.set(name, { name, position, resources: [] })
      groups.get(name)!.resources.push(resource)
    }
    return [...groups.values()].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
  }

  /** A plain name for the file type, e.g. "PDF document". */
  get fileTypeLabel() {
    return FILE_TYPE_LABELS[this.mimeType] ?? 'File'
  }

  /** Visible to a client only through a live share, and never once archived. */
  static forClient = scope((query, clientId: number) => {
    query.whereNull('resources.archived_at').whereExists((shares) => {
      shares
        .from('resource_shares')
        .whereColumn('resource_shares.resource_id', 'resources.id')
        .where('resource_shares.client_id', clientId)
        .whereNull('resource_shares.revoked_at')
    })
  })
}
