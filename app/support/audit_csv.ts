import { csvLine } from '#support/csv'

/*
| The audit log as CSV, one way for `node ace audit:export` and the audit
| log page's download: the same columns, through the product's one
| formula-safe CSV writer.
*/
export const AUDIT_CSV_COLUMNS = ['id', 'occurred_at', 'actor_kind', 'actor_id', 'client_id', 'action', 'ip', 'user_agent', 'detail']

/** One audit row as the database returns it (AuditEvent's AuditRow). */
export interface AuditCsvRow {
  id: number
  occurred_at: Date
  actor_kind: string
  actor_id: number | null
  client_id: number | null
  action: string
  ip: string | null
  user_agent: string | null
  detail: unknown
}

export function auditCsvHeader() {
  return csvLine(AUDIT_CSV_COLUMNS)
}

/** One CSV record. */
export function auditCsvLine(row: AuditCsvRow) {
  return csvLine([
    row.id,
    row.occurred_at.toISOString(),
    row.actor_kind,
    row.actor_id,
    row.client_id,
    row.action,
    row.ip,
    row.user_agent,
    JSON.stringify(row.detail ?? {}),
  ])
}
