import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import type { ActorKind } from '#models/audit_event'
import type { Actor } from '#support/actor'
import { asPrepared } from '#services/prepared_statements'

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

/** An audit_events row as the grouped insert sends it (jsonb_to_recordset's column names). */
interface AuditRow {
  action: string
  actor_kind: ActorKind
  actor_id: number | null
  client_id: number | null
  ip: string | null
  user_agent: string | null
  detail: Record<string, string | number | boolean | null>
}

/*
| One statement for any number of rows (a JSON array turned into rows), so
| its text never changes and PostgreSQL keeps it prepared on each pooled
| connection (parsed and planned once, not on every page).
*/
const INSERT_ROWS = `insert into audit_events (action, actor_kind, actor_id, client_id, ip, user_agent, detail)
  select action, actor_kind, actor_id, client_id, ip, user_agent, detail
    from jsonb_to_recordset(?::jsonb)
      as r(action text, actor_kind text, actor_id bigint, client_id bigint, ip text, user_agent text, detail jsonb)`

/** At most this many events in one insert (a burst larger than this goes in several). */
const MAX_ROWS_PER_INSERT = 200

interface Waiting {
  row: AuditRow
  done: () => void
  failed: (error: unknown) => void
}

/*
| Audit events are written on the machinery pool (the app role), never inside
| a request's transaction, so a request that is refused or rolled back is
| still recorded; and every caller waits until its own event is committed,
| so a page is never answered before its audit row is stored.
|
| Concurrent requests share inserts (issue #25: one insert and one commit
| per page was a tenth of the portal's PostgreSQL time): an event goes out
| at once when no insert is under way; otherwise it waits for the one under
| way to finish and goes with every event that arrived meanwhile, in one
| multi-row insert. A lone request thus waits no longer than before, and a
| busy server commits many events at a time. If a grouped insert fails,
| its events are written one by one, so only a faulty event fails, and
| only its own request.
*/
const waiting: Waiting[] = []
let inserting = false

async function insertRows(rows: AuditRow[]) {
  await asPrepared(db.connection('machinery').rawQuery(INSERT_ROWS, [JSON.stringify(rows)]), 'audit_insert')
}

async function insertWaiting() {
  inserting = true
  try {
    while (waiting.length) {
      const batch = waiting.splice(0, MAX_ROWS_PER_INSERT)
      try {
        await insertRows(batch.map((entry) => entry.row))
        for (const entry of batch) entry.done()
      } catch (error) {
        if (batch.length === 1) {
          batch[0].failed(error)
          continue
        }
        for (const entry of batch) {
          await insertRows([entry.row]).then(entry.done, entry.failed)
        }
      }
    }
  } finally {
    inserting = false
  }
}

function write(origin: Origin | null, entry: AuditEntry) {
  const row: AuditRow = {
    action: entry.action,
    actor_kind: entry.actorKind,
    actor_id: entry.actorId ?? null,
    client_id: entry.clientId ?? null,
    ip: origin?.ip ?? null,
    user_agent: origin?.userAgent?.slice(0, 512) ?? null,
    detail: entry.detail ?? {},
  }
  return new Promise<void>((done, failed) => {
    waiting.push({ row, done, failed })
    if (!inserting) void insertWaiting()
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
