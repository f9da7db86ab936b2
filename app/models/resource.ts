import { ResourceSchema } from '#database/schema'
import { afterFetch, belongsTo, hasMany, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import { DateTime } from 'luxon'
import Client from '#models/client'
import ResourceCategory from '#models/resource_category'
import ResourceShare from '#models/resource_share'
import StaffUser from '#models/staff_user'
import db from '@adonisjs/lucid/services/db'
import { joinedColumns, setJoined } from '#models/concerns/joined_relations'
import { fileSizeParts } from '#support/file_size'

const FILE_TYPE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF document',
  'text/plain': 'Text file',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
}

/** The same types as words the portal's catalogs know (portal.file_type). */
const FILE_KINDS: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/plain': 'text',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'word',
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

  /** The category in the same statement (sets `category`, null when uncategorised). */
  static withCategory = scope((query) => {
    query
      .select('resources.*')
      .select(joinedColumns('resource_categories', ['id', 'name', 'position'], 'joined_category'))
      .leftJoin('resource_categories', 'resource_categories.id', 'resources.category_id')
  })

  @afterFetch()
  static setJoinedCategory(resources: Resource[]) {
    setJoined(resources, 'joined_category', 'category', ResourceCategory)
  }

  /** A plain name for the file type, e.g. "PDF document". */
  get fileTypeLabel() {
    return FILE_TYPE_LABELS[this.mimeType] ?? 'File'
  }

  /** The size for the portal's words: `t('portal.resources.size', resource.sizeParts)`. */
  get sizeParts() {
    return fileSizeParts(this.sizeBytes) ?? { value: 0, unit: 'bytes' }
  }

  /** The file type for the portal's words: `t('portal.file_type', { kind })`. */
  get fileKind() {
    return FILE_KINDS[this.mimeType] ?? 'other'
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

  /*
  | The staff Resource Library.
  */

  /** The library list's filters: a category id or 'none' (uncategorised), and archived or not. */
  static matching = scope((query, filters: LibraryFilters) => {
    if (filters.category === 'none') query.whereNull('resources.category_id')
    else if (filters.category !== undefined) query.where('resources.category_id', filters.category)
    if (filters.archived === 'archived') query.whereNotNull('resources.archived_at')
    else if (filters.archived !== 'all') query.whereNull('resources.archived_at')
  })

  /** How many clients hold a live share, as `$extras.live_shares`. */
  static withLiveShareCount = scope((query: ModelQueryBuilderContract<typeof Resource>) => {
    query.withCount('shares', (shares) => {
      shares.whereNull('revoked_at').as('live_shares')
    })
  })

  get isArchived() {
    return this.archivedAt !== null
  }

  async archive() {
    this.archivedAt = DateTime.now()
    await this.save()
  }

  async unarchive() {
    this.archivedAt = null
    await this.save()
  }

  /**
   * Active clients whose name matches every word of the search, for the
   * share picker; `$extras.has_live_share` tells who holds it already.
   */
  async shareCandidates(search: string, limit: number) {
    const words = search.split(/\s+/).filter(Boolean).slice(0, 5)
    if (!words.length) return []
    const query = Client.query()
      .where('clients.status', 'active')
      .select('clients.*')
      .select(
        db.raw(
          'exists (select 1 from resource_shares s where s.resource_id = ? and s.client_id = clients.id and s.revoked_at is null) as has_live_share',
          [this.id]
        )
      )
      .orderBy('clients.last_name')
      .orderBy('clients.first_name')
      .orderBy('clients.id')
      .limit(limit)
    for (const word of words) {
      const pattern = `%${word.replace(/[\\%_]/g, '\\$&')}%`
      query.where((name) => {
        name
          .whereILike('clients.first_name', pattern)
          .orWhereILike('clients.last_name', pattern)
          .orWhereILike('clients.preferred_name', pattern)
      })
    }
    return query
  }
}

export interface LibraryFilters {
  category?: number | 'none'
  archived?: 'active' | 'archived' | 'all'
}
