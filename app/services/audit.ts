import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import type { ActorKind } from '#models/audit_event'

export interface AuditEntry {
  action: string
  actorKind: ActorKind
  actorId?: number | null
  clientId?: number | null
  /** Ids and counts only: never names, emails, search terms or clinical text. */
  detail?: Record<string, string | number | boolean | null>
}

/*
| Writes one append-only audit event on the machinery pool (the app role),
| never inside a request's transaction, so a request that is refused or
| rolled back is still recorded.
*/
export async function audit(ctx: HttpContext | null, entry: AuditEntry) {
  await db.connection('machinery').table('audit_events').insert({
    action: entry.action,
    actor_kind: entry.actorKind,
    actor_id: entry.actorId ?? null,
    client_id: entry.clientId ?? null,
    ip: ctx?.request.ip() ?? null,
    user_agent: ctx?.request.header('user-agent')?.slice(0, 512) ?? null,
    detail: JSON.stringify(entry.detail ?? {}),
  })
}

/**
 * An event of the signed-in portal account about the client on screen
 * (protected portal pages, where `ctx.portal` is set).
 */
export function auditPortal(ctx: HttpContext, action: string, detail?: AuditEntry['detail']) {
  return audit(ctx, {
    action,
    actorKind: 'client_user',
    actorId: ctx.portal.account.id,
    clientId: ctx.portal.client.id,
    detail,
  })
}
