import { AuditEventSchema } from '#database/schema'
import { scope } from '@adonisjs/lucid/orm'

export type ActorKind = 'staff' | 'client_user' | 'anonymous' | 'system'

/** Append-only: the database refuses UPDATE, DELETE and TRUNCATE. */
export default class AuditEvent extends AuditEventSchema {
  declare actorKind: ActorKind

  static forClient = scope((query, clientId: number) => {
    query.where('audit_events.client_id', clientId)
  })
}
