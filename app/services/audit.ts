import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import type { ActorKind } from '#models/audit_event'
import type { Actor } from '#support/actor'

export interface AuditEntry {
  action: string
  actorKind: ActorKind
  actorId?: number | null
  clientId?: number | null
  /** Ids and counts only: never names, emails, search terms or clinical text. */
  detail?: Record<string, string | number | boolean | null>
}

/** Where an event came from: the request's IP and user agent, or nothing (a command, the worker). */
type Origin = Pick<Actor, 'ip' | 'userAgent'>

/*
| Writes one append-only audit event on the machinery pool (the app role),
| never inside a request's transaction, so a request that is refused or
| rolled back is still recorded.
*/
async function write(origin: Origin | null, entry: AuditEntry) {
  await db.connection('machinery').table('audit_events').insert({
    action: entry.action,
    actor_kind: entry.actorKind,
    actor_id: entry.actorId ?? null,
    client_id: entry.clientId ?? null,
    ip: origin?.ip ?? null,
    user_agent: origin?.userAgent?.slice(0, 512) ?? null,
    detail: JSON.stringify(entry.detail ?? {}),
  })
}

/** An event of a request (or of no request, with null). */
export function audit(ctx: HttpContext | null, entry: AuditEntry) {
  return write(ctx ? { ip: ctx.request.ip(), userAgent: ctx.request.header('user-agent') ?? null } : null, entry)
}

/** The same event, from a use case: the actor carries the request's IP and agent (none for the system). */
export function auditBy(actor: Actor, entry: AuditEntry) {
  return write(actor, entry)
}

/**
 * A change made by staff or by an operator from the shell: staff actions
 * are `staff.*`, the same actions from the shell `operator.*`.
 */
export function auditStaffOrOperator(
  actor: Actor,
  action: string,
  entry: { clientId?: number | null; detail?: AuditEntry['detail'] }
) {
  if (actor.kind === 'staff') {
    return auditBy(actor, { action: `staff.${action}`, actorKind: 'staff', actorId: actor.id, ...entry })
  }
  return auditBy(actor, { action: `operator.${action}`, actorKind: 'system', ...entry })
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
