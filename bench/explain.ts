/*
| What each measured page asks PostgreSQL, and how PostgreSQL answers.
|
| 1. With `log_statement = 'all'` on the bench cluster (its stderr),
|    each page is requested once, between two marker statements, so every
|    statement of that one request — machinery and client data alike — is
|    captured with its parameters. One logged statement is one round trip.
| 2. Each captured statement is run again under EXPLAIN (ANALYZE, BUFFERS)
|    in the context it ran in: client-data statements inside a transaction
|    switched to the portal role with the same app.client_id (as
|    app/services/portal_transaction.ts does), machinery ones as the app
|    role; always rolled back, so writes (session, audit) leave nothing.
*/
import pg from 'pg'

export interface CapturedStatement {
  pid: number
  sql: string
  params: (string | null)[]
  /** Run inside the portal's RLS transaction (after its set_config). */
  inPortalTransaction: boolean
  /** The portal transaction's client id when inPortalTransaction. */
  clientId: string | null
  kind: string
}

export interface ExplainedStatement extends CapturedStatement {
  plan: string | null
  seqScans: string[]
  executionMs: number | null
  error?: string
}

export interface CapturedRequest {
  path: string
  status: number
  statements: ExplainedStatement[]
}

interface LogRecord {
  pid: number
  dbname?: string
  user?: string
  message?: string
  detail?: string
}

const MARK = 'bench-capture'

/** Turns statement logging on or off for the whole cluster (superuser; takes effect on reload). */
export async function setStatementLogging(superClient: pg.Client, on: boolean) {
  await superClient.query(`alter system set log_statement = '${on ? 'all' : 'none'}'`)
  await superClient.query('select pg_reload_conf()')
  // Backends pick the new value up at their next command; give the reload a moment.
  await new Promise((done) => setTimeout(done, 300))
}

export async function marker(superClient: pg.Client, label: string) {
  await superClient.query(`select '${MARK} ${label.replace(/'/g, '')}'`)
}

/** The prefix bench/run.ts gives every server log line (log_line_prefix). */
export const LOG_LINE_PREFIX = '|bench|%p|%d|%u| '
const PREFIXED = /^\|bench\|(\d+)\|([^|]*)\|([^|]*)\| ([A-Z]+):  ([\s\S]*)$/

/** The server's stderr as records: a prefixed line, plus the lines of a multi-line statement after it. */
function parseLog(text: string): LogRecord[] {
  const records: LogRecord[] = []
  let current: LogRecord | null = null
  for (const line of text.split('\n')) {
    const match = PREFIXED.exec(line)
    if (match) {
      const [, pid, dbname, user, severity, body] = match
      if (severity === 'DETAIL' && current && current.pid === Number(pid)) {
        current.detail = body
        continue
      }
      current = { pid: Number(pid), dbname, user, message: severity === 'LOG' ? body : undefined }
      records.push(current)
    } else if (current?.message !== undefined) {
      current.message += '\n' + line
    }
  }
  return records
}

/** `Parameters: $1 = '5', $2 = NULL` → ['5', null] */
function parseParameters(detail: string | undefined): (string | null)[] {
  if (!detail || !detail.startsWith('Parameters:')) return []
  const params: (string | null)[] = []
  const pattern = /\$(\d+) = (NULL|'((?:[^']|'')*)')/g
  for (const match of detail.matchAll(pattern)) {
    params[Number(match[1]) - 1] = match[2] === 'NULL' ? null : match[3].replace(/''/g, "'")
  }
  return params
}

export function kindOf(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim().toLowerCase()
  if (text === 'begin' || text === 'begin;') return 'BEGIN'
  if (text === 'commit' || text === 'commit;') return 'COMMIT'
  if (text === 'rollback' || text === 'rollback;') return 'ROLLBACK'
  if (text.includes('set_config(')) return 'set_config (portal role + client id)'
  if (text.startsWith('select') && text.includes('from "sessions"')) return 'session read'
  if (text.startsWith('insert into "sessions"')) return 'session write'
  if (text.startsWith('delete from "sessions"')) return 'session garbage collection'
  if (text.startsWith('insert into "audit_events"')) return 'audit insert'
  // The grouped audit insert (app/services/audit.ts): one statement for one or many events.
  if (text.startsWith('insert into audit_events')) return 'audit insert (grouped)'
  if (text.includes('from "client_users"')) return 'portal account lookup'
  if (text.includes('from "staff_users"') && text.includes('"id" =')) return 'staff account lookup'
  if (text.includes('from "client_user_links"')) return 'links + active client'
  // The insights page's statements (app/actions/insights/figures.ts), by what they compute.
  if (text.includes('insight_clients')) return 'insights (rollup): drop-off, first sessions, adoption'
  if (text.includes('insight_refreshes')) return 'insights: when the rollup was rebuilt'
  if (text.includes('insight_outcome_days')) return 'insights (rollup): closed days by month, portal, reminder'
  if (text.includes('insight_provider_days')) return 'insights (rollup): closed days by clinician'
  if (text.includes('grouping sets')) return 'insights: outcomes by month, clinician, portal, reminder (live)'
  if (text.includes('last_attended')) return 'insights: drop-off (live)'
  if (text.includes('newcomers')) return 'insights: first sessions (live)'
  if (text.includes('active_clients')) return 'insights: portal adoption (live)'
  if (text.includes('from "staff_users"') && text.includes('"id" in')) return 'insights: clinician names'
  if (text.includes('count(')) return 'page query (count)'
  return 'page query'
}

/**
 * The statements of each labelled request, in order, from the cluster's log.
 * `database` and `user` select the app's statements (markers run as the superuser).
 */
export function collectCaptured(
  serverLog: string,
  labels: string[],
  database: string,
  user: string
): Map<string, CapturedStatement[]> {
  const records = parseLog(serverLog)
  const result = new Map<string, CapturedStatement[]>()
  for (const label of labels) {
    const start = records.findIndex((r) => r.message?.includes(`'${MARK} begin ${label}'`))
    const end = records.findIndex((r, i) => i > start && r.message?.includes(`'${MARK} end ${label}'`))
    if (start < 0 || end < 0) throw new Error(`No statements captured for ${label}`)
    const portalClientByPid = new Map<number, string | null>()
    const statements: CapturedStatement[] = []
    for (const record of records.slice(start + 1, end)) {
      if (record.dbname !== database || record.user !== user || !record.message) continue
      const match = /^(?:statement|execute [^:]*): ([\s\S]*)$/.exec(record.message)
      if (!match) continue
      const sql = match[1]
      const params = parseParameters(record.detail)
      const kind = kindOf(sql)
      if (kind.startsWith('set_config')) portalClientByPid.set(record.pid, params[1] ?? null)
      const inPortalTransaction = portalClientByPid.has(record.pid) && kind !== 'COMMIT' && kind !== 'ROLLBACK'
      statements.push({
        pid: record.pid,
        sql,
        params,
        inPortalTransaction: inPortalTransaction && !kind.startsWith('set_config'),
        clientId: portalClientByPid.get(record.pid) ?? null,
        kind,
      })
      if (kind === 'COMMIT' || kind === 'ROLLBACK') portalClientByPid.delete(record.pid)
    }
    result.set(label, statements)
  }
  return result
}

/** EXPLAIN (ANALYZE, BUFFERS) of every data statement, in the context it ran in, rolled back. */
export async function explainAll(
  appUrl: string,
  portalRole: string,
  statements: CapturedStatement[]
): Promise<ExplainedStatement[]> {
  const client = new pg.Client({ connectionString: appUrl })
  await client.connect()
  const explained: ExplainedStatement[] = []
  try {
    for (const statement of statements) {
      if (['BEGIN', 'COMMIT', 'ROLLBACK'].includes(statement.kind) || statement.kind.startsWith('set_config')) {
        explained.push({ ...statement, plan: null, seqScans: [], executionMs: null })
        continue
      }
      await client.query('begin')
      try {
        if (statement.inPortalTransaction) {
          await client.query(`select set_config('role', $1, true), set_config('app.client_id', $2, true)`, [
            portalRole,
            statement.clientId ?? '',
          ])
        }
        const { rows } = await client.query(`explain (analyze, buffers) ${statement.sql}`, statement.params)
        const plan = rows.map((row) => row['QUERY PLAN']).join('\n')
        const seqScans = [...plan.matchAll(/Seq Scan on (\S+)(?: \S+)? .*?(?:actual[^)]*rows=(\d+(?:\.\d+)?))?/g)].map(
          (m) => m[1]
        )
        const execution = /Execution Time: ([\d.]+) ms/.exec(plan)
        explained.push({ ...statement, plan, seqScans, executionMs: execution ? Number(execution[1]) : null })
      } catch (error) {
        explained.push({ ...statement, plan: null, seqScans: [], executionMs: null, error: (error as Error).message })
      } finally {
        await client.query('rollback')
      }
    }
  } finally {
    await client.end()
  }
  return explained
}
