/*
| Loads bench/data.sql into a freshly migrated database: set-based SQL, one
| phase at a time, each timed. See the top of data.sql for what it makes.
*/
import { readFile } from 'node:fs/promises'
import pg from 'pg'

export interface DataSetSize {
  name: 'large' | 'small'
  clients: number
  resources: number
  auditEvents: number
  clinicians: number
}

/** The data set: 1 000 000 appointments, 500 000 shares (10 and 5 per client). */
export const LARGE: DataSetSize = {
  name: 'large',
  clients: 100_000,
  resources: 20_000,
  auditEvents: 1_000_000,
  clinicians: 400,
}

/** The same per-client density, a hundredth of the size. */
export const SMALL: DataSetSize = {
  name: 'small',
  clients: 1_000,
  resources: 200,
  auditEvents: 10_000,
  clinicians: 400,
}

export const BENCH_PASSWORD = 'bench-calm-harbor-2026'
/*
| The staff side of the benchmark signs in as support staff: they see every
| client (the same list and search an admin gets) and, unlike ceo and admin,
| are not required to enrol in two-factor sign-in, which a load generator
| cannot do 50 times over.
*/
export const STAFF_EMAIL = 'support@bench.careincite.test'
/*
| The owner of /insights (issue #21): the ceo of data.sql. A ceo must have
| two-factor sign-in, so bench/run.ts enrols it on its first sign-in, as a
| new owner would, and keeps that one session.
*/
export const OWNER_EMAIL = 'ceo@bench.careincite.test'

/**
 * The 50 portal accounts the benchmark signs in (see data.sql): 40 adults
 * (`self`, spread over the whole id range) and 10 guardians of two children.
 */
export function portalSignIns(size: DataSetSize): string[] {
  const emails: string[] = []
  for (let k = 1; k <= 40; k++) emails.push(`client-${(k * size.clients) / 40}@bench.careincite.test`)
  for (let k = 0; k < 10; k++) emails.push(`guardian-${100 * k * (size.clients / 1000) + 7}@bench.careincite.test`)
  return emails
}

export interface LoadReport {
  seconds: Record<string, number>
  rows: Record<string, number>
  /** The slowest index and constraint builds of the build_indexes phase. */
  slowestBuilds: { name: string; seconds: number }[]
}

export async function loadDataSet(
  url: string,
  size: DataSetSize,
  passwordHash: string,
  log: (line: string) => void
): Promise<LoadReport> {
  if (size.clients % 1000 !== 0) throw new Error('bench.clients must be a multiple of 1000')
  const sql = await readFile(new URL('./data.sql', import.meta.url), 'utf8')
  const phases = sql
    .split(/^-- @phase /m)
    .slice(1)
    .map((chunk) => {
      const newline = chunk.indexOf('\n')
      return { name: chunk.slice(0, newline).trim(), text: chunk.slice(newline + 1) }
    })

  const client = new pg.Client({ connectionString: url })
  await client.connect()
  // The index builds report their own time (RAISE NOTICE); the slowest are worth knowing.
  const builds: { name: string; seconds: number }[] = []
  client.on('notice', (notice) => {
    const match = /^built (\S+) in ([\d.]+) s$/.exec(notice.message ?? '')
    if (match) builds.push({ name: match[1], seconds: Number(match[2]) })
  })
  const seconds: Record<string, number> = {}
  try {
    const settings: Record<string, string | number> = {
      'bench.clients': size.clients,
      'bench.resources': size.resources,
      'bench.audit_events': size.auditEvents,
      'bench.clinicians': size.clinicians,
      'bench.password_hash': passwordHash,
    }
    for (const [name, value] of Object.entries(settings)) {
      await client.query('select set_config($1, $2, false)', [name, String(value)])
    }
    for (const phase of phases) {
      const started = performance.now()
      await client.query(phase.text)
      seconds[phase.name] = round((performance.now() - started) / 1000, 1)
      log(`  ${size.name}: ${phase.name} ${seconds[phase.name]} s`)
    }

    const { rows } = await client.query(`
      select (select count(*) from clients)::int as clients,
             (select count(*) from appointments)::int as appointments,
             (select count(*) from resources)::int as resources,
             (select count(*) from resource_shares)::int as resource_shares,
             (select count(*) from audit_events)::int as audit_events,
             (select count(*) from client_users)::int as client_users,
             (select count(*) from staff_users)::int as staff_users`)
    const signIns = portalSignIns(size)
    const found = await client.query(
      `select count(*)::int as n from client_users u
       where u.email = any($1) and u.status = 'active'
         and exists (select 1 from client_user_links l join clients c on c.id = l.client_id
                     where l.client_user_id = u.id and l.ended_at is null and l.verified_at is not null and c.status = 'active')`,
      [signIns]
    )
    if (found.rows[0].n !== signIns.length) {
      throw new Error(`Only ${found.rows[0].n} of the ${signIns.length} bench portal accounts can sign in`)
    }
    const slowestBuilds = builds.sort((a, b) => b.seconds - a.seconds).slice(0, 6)
    return { seconds, rows: rows[0], slowestBuilds }
  } finally {
    await client.end()
  }
}

function round(value: number, digits: number) {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
