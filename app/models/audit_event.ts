import { AuditEventSchema } from '#database/schema'
import { scope } from '@adonisjs/lucid/orm'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#models/staff_user'
import ClientUser from '#models/client_user'
import Client from '#models/client'
import Resource from '#models/resource'
import type { UtcBounds } from '#support/audit_range'

export const ACTOR_KINDS = ['staff', 'client_user', 'anonymous', 'system'] as const
export type ActorKind = (typeof ACTOR_KINDS)[number]

export const ACTOR_KIND_LABELS: Record<ActorKind, string> = {
  staff: 'Staff',
  client_user: 'Portal account',
  anonymous: 'Anonymous',
  system: 'System',
}

/** The columns the audit log page sorts by. */
export const AUDIT_SORTS = ['time', 'action'] as const
export type AuditSort = (typeof AUDIT_SORTS)[number]

/** What the audit log page narrows by; every part but the days is optional. */
export interface AuditLogFilters {
  bounds: UtcBounds
  clientId?: number
  actorKind?: ActorKind
  actorId?: number
  /** An exact action, or a prefix ending in a dot ('portal.') for a whole family. */
  action?: string
}

/** One exported row, as the database returns it. */
export interface AuditRow {
  id: number
  occurred_at: Date
  actor_kind: ActorKind
  actor_id: number | null
  client_id: number | null
  action: string
  ip: string | null
  user_agent: string | null
  detail: unknown
}

/** Append-only: the database refuses UPDATE, DELETE and TRUNCATE. */
export default class AuditEvent extends AuditEventSchema {
  /** Account machinery: the app role's own pool, outside any client transaction. */
  static connection = 'machinery'

  declare actorKind: ActorKind

  static forClient = scope((query, clientId: number) => {
    query.where('audit_events.client_id', clientId)
  })

  static between = scope((query, bounds: UtcBounds) => {
    query
      .where('audit_events.occurred_at', '>=', bounds.start.toISO()!)
      .where('audit_events.occurred_at', '<', bounds.end.toISO()!)
  })

  static byActor = scope((query, kind: ActorKind, actorId?: number) => {
    query.where('audit_events.actor_kind', kind)
    if (actorId !== undefined) query.where('audit_events.actor_id', actorId)
  })

  static withAction = scope((query, action: string) => {
    if (action.endsWith('.')) {
      // LIKE wildcards in the prefix ('_' is common in action names) match only themselves.
      query.whereLike('audit_events.action', `${action.replace(/[\\%_]/g, '\\$&')}%`)
    } else {
      query.where('audit_events.action', action)
    }
  })

  static oldestFirst = scope((query) => {
    query.orderBy('audit_events.occurred_at', 'asc').orderBy('audit_events.id', 'asc')
  })

  /** By action, then newest first within one. */
  static byAction = scope((query, dir: 'asc' | 'desc') => {
    query.orderBy('audit_events.action', dir).orderBy('audit_events.occurred_at', 'desc').orderBy('audit_events.id', 'desc')
  })

  static newestFirst = scope((query) => {
    query.orderBy('audit_events.occurred_at', 'desc').orderBy('audit_events.id', 'desc')
  })

  /** The audit log page's query: the filters given, newest first unless another order is asked for. */
  static matching(filters: AuditLogFilters, order: { sort?: AuditSort; dir?: 'asc' | 'desc' } = {}) {
    return this.query().withScopes((scopes) => {
      scopes.between(filters.bounds)
      if (filters.clientId !== undefined) scopes.forClient(filters.clientId)
      if (filters.actorKind) scopes.byActor(filters.actorKind, filters.actorId)
      if (filters.action) scopes.withAction(filters.action)
      if (order.sort === 'action') {
        scopes.byAction(order.dir ?? 'asc')
      } else if (order.dir === 'asc') {
        scopes.oldestFirst()
      } else {
        scopes.newestFirst()
      }
    })
  }

  /**
   * Every action recorded so far, in order. A loose index scan on the
   * (action, occurred_at) index: one index probe per distinct action, not a
   * read of the whole table, which grows by every portal page view.
   */
  static async distinctActions(): Promise<string[]> {
    const result = await db.rawQuery(`
      with recursive actions(action) as (
        (select action from audit_events order by action limit 1)
        union all
        select (select e.action from audit_events e where e.action > actions.action order by e.action limit 1)
        from actions where actions.action is not null
      )
      select action from actions where action is not null
    `)
    return result.rows.map((row: { action: string }) => row.action)
  }

  /**
   * The rows of a range in id order, a batch at a time (keyset pagination
   * on the primary key), so an export of millions of rows holds one batch
   * in memory.
   */
  static batchesBetween(bounds: UtcBounds, batchSize = 5000): AsyncGenerator<AuditRow[]> {
    return this.batchesMatching({ bounds }, batchSize)
  }

  /**
   * The filtered rows of the audit log page in id order, a batch at a time
   * (keyset pagination on the primary key): the page's CSV export.
   */
  static async *batchesMatching(filters: AuditLogFilters, batchSize = 5000): AsyncGenerator<AuditRow[]> {
    let afterId = 0
    while (true) {
      const rows = await this.query()
        .withScopes((scopes) => {
          scopes.between(filters.bounds)
          if (filters.clientId !== undefined) scopes.forClient(filters.clientId)
          if (filters.actorKind) scopes.byActor(filters.actorKind, filters.actorId)
          if (filters.action) scopes.withAction(filters.action)
        })
        .where('audit_events.id', '>', afterId)
        .orderBy('audit_events.id', 'asc')
        .limit(batchSize)
        .pojo<AuditRow>()
      if (rows.length) yield rows
      if (rows.length < batchSize) return
      afterId = rows[rows.length - 1].id
    }
  }

  /**
   * The names behind these events' actor, client, staff and resource ids
   * (the last two from the detail): one query per kind for the whole page,
   * never one per row.
   */
  static async namesFor(events: AuditEvent[]) {
    const idsOf = (pick: (event: AuditEvent) => number | null) => [
      ...new Set(events.map(pick).filter((id): id is number => typeof id === 'number' && Number.isSafeInteger(id))),
    ]
    const inDetail = (event: AuditEvent, key: string) => {
      const value = (event.detail as Record<string, unknown> | null)?.[key]
      return typeof value === 'number' ? value : null
    }
    const staffIds = [
      ...new Set([
        ...idsOf((event) => (event.actorKind === 'staff' ? event.actorId : null)),
        ...idsOf((event) => inDetail(event, 'staffId')),
        ...idsOf((event) => inDetail(event, 'providerId')),
      ]),
    ]
    const accountIds = idsOf((event) => (event.actorKind === 'client_user' ? event.actorId : null))
    const clientIds = idsOf((event) => event.clientId)
    const resourceIds = idsOf((event) => inDetail(event, 'resourceId'))

    const [staff, accounts, clients, resources] = await Promise.all([
      staffIds.length ? StaffUser.query().select('id', 'name').whereIn('id', staffIds) : [],
      accountIds.length ? ClientUser.query().select('id', 'displayName').whereIn('id', accountIds) : [],
      clientIds.length
        ? Client.query().select('id', 'firstName', 'preferredName', 'lastName').whereIn('id', clientIds)
        : [],
      resourceIds.length ? Resource.query().select('id', 'title').whereIn('id', resourceIds) : [],
    ])
    return {
      staff: new Map(staff.map((person) => [person.id, person.name])),
      portalAccounts: new Map(accounts.map((account) => [account.id, account.displayName])),
      clients: new Map(clients.map((client) => [client.id, client.fullName])),
      resources: new Map(resources.map((resource) => [resource.id, resource.title])),
    }
  }

  get actorKindLabel() {
    return ACTOR_KIND_LABELS[this.actorKind] ?? this.actorKind
  }

  /** The detail on one line, or '' when there is none. */
  get detailText() {
    // Spaced JSON on one line ({ "page": 1 }), so a narrow column wraps between items, not inside one.
    const text = JSON.stringify(this.detail ?? {}, null, 1).replace(/\n\s*/g, ' ')
    return text === '{}' ? '' : text
  }
}
