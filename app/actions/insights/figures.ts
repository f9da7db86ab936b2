import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import type { StaffRole } from '#models/staff_user'
import { monthsOf, monthOf, type InsightPeriod } from '#actions/insights/period'

/*
| The practice owner's figures (issue #21): outcomes by month, the no-show
| and late-cancel rates, drop-off, first sessions, portal adoption, and the
| side-by-side comparisons. One module holds every definition, so the page,
| the CSV and the dashboard cannot disagree. Statements run on the
| `machinery` connection (the app role), never in a client's transaction.
|
| For the whole practice (ceo, admin) the page reads a rollup of these same
| definitions once it has been built (issue #21 "Performance": 365 days of
| a large practice within 300 ms): the closed practice days' outcomes and a
| row per client, rebuilt from scratch by refreshInsightRollup below (the
| worker every 10 minutes, `node ace insights:refresh`), plus the days since
| the rebuild counted live. The rollup holds counts only; every definition
| stays here, and tests/functional/staff/insights.spec.ts checks that both
| ways give identical figures.
|
| A clinician's figures are her caseload's, as DESIGN §3 defines it: clients
| whose primary clinician she is or whose appointments she provides, and
| every appointment of those clients. Nothing of another clinician's
| clients reaches any figure or list.
*/

export interface Viewer {
  id: number
  role: StaffRole
}

/** Everyone's figures (the whole practice) or one clinician's caseload. */
export function seesWholePractice(viewer: Viewer) {
  return viewer.role === 'ceo' || viewer.role === 'admin'
}

/** The outcome columns, in the order the page and the CSV show them. */
export const OUTCOMES = [
  { key: 'attended', label: 'Attended' },
  { key: 'noShow', label: 'No-show' },
  { key: 'lateCancelled', label: 'Late cancellation' },
  { key: 'cancelledByPractice', label: 'Cancelled by the practice' },
  { key: 'cancelledByClient', label: 'Cancelled by the client ahead of time' },
  { key: 'cancelledByUnknown', label: 'Cancelled, by unknown' },
  { key: 'notRecorded', label: 'Outcome not recorded' },
] as const
export type OutcomeKey = (typeof OUTCOMES)[number]['key']

export type OutcomeCounts = Record<OutcomeKey, number>

export interface Rate {
  count: number
  /** Appointments behind the percentage: attended + no-show + late cancellation. */
  denominator: number
  /** "25.0 %", or "—" when there is nothing to divide by. */
  text: string
}

export interface OutcomeRow extends OutcomeCounts {
  /** Every appointment of the row with an outcome or none recorded (not those still to come). */
  appointments: number
  noShowRate: Rate
  lateCancelRate: Rate
}

export interface Comparison {
  label: string
  row: OutcomeRow
}

export interface ClinicianRow extends OutcomeRow {
  providerId: number
  name: string
}

/** Where the figures came from: counted live now, or the rollup (built at `refreshedAt`) plus the days since, live. */
export type FigureSource = { kind: 'live' } | { kind: 'rollup'; refreshedAt: DateTime }

export interface Figures {
  period: InsightPeriod
  wholePractice: boolean
  source: FigureSource
  months: (OutcomeRow & { month: string })[]
  total: OutcomeRow
  /** Scheduled appointments of the period still to come (a custom period ending today): in no figure. */
  stillToCome: number
  portal: { with: OutcomeRow; without: OutcomeRow }
  reminder: { with: OutcomeRow; without: OutcomeRow }
  byClinician: ClinicianRow[]
  dropOff: { clients: number; days: number; cutoff: DateTime }
  firstSessions: { started: number; fewerThanThree: number; share: string }
  adoption: Adoption
  /** Freed slots taken through a waitlist offer (issue #22), accepted in the period. */
  waitlistRefills: number
}

export interface Adoption {
  activeClients: number
  invited: number
  withAccount: number
  signedInLast30Days: number
}

const machinery = () => db.connection('machinery')

/** One decimal and a space before the sign, the way the page prints every percentage: "25.0 %". */
export function percent(count: number, of: number) {
  if (!of) return '—'
  return `${((count * 100) / of).toFixed(1)} %`
}

function rateOf(count: number, denominator: number): Rate {
  return { count, denominator, text: percent(count, denominator) }
}

/** The rates' denominator: appointments still booked when the cancellation window closed. */
export function keptOrMissed(counts: OutcomeCounts) {
  return counts.attended + counts.noShow + counts.lateCancelled
}

function withRates(counts: OutcomeCounts): OutcomeRow {
  const denominator = keptOrMissed(counts)
  return {
    ...counts,
    appointments: Object.values(counts).reduce((sum, count) => sum + count, 0),
    noShowRate: rateOf(counts.noShow, denominator),
    lateCancelRate: rateOf(counts.lateCancelled, denominator),
  }
}

const NO_OUTCOMES: OutcomeCounts = {
  attended: 0,
  noShow: 0,
  lateCancelled: 0,
  cancelledByPractice: 0,
  cancelledByClient: 0,
  cancelledByUnknown: 0,
  notRecorded: 0,
}

/*
| SQL fragments. `:viewer` is bound only for a clinician; the caseload is
| DESIGN §3's (Client.visibleTo), written once here for raw statements.
*/
function caseloadOf(viewer: Viewer, clientColumn: string) {
  if (seesWholePractice(viewer)) return ''
  return `and ${clientColumn} in (
    select caseload.id from clients caseload
    where caseload.primary_clinician_id = :viewer
       or exists (select 1 from appointments provided
                  where provided.client_id = caseload.id and provided.provider_id = :viewer))`
}

/*
| Each definition below is written once and used in two shapes: correlated
| (EXISTS for a client or an appointment: the live statements, which the
| planner probes by index for a small caseload) and as a set (the rollup's
| rebuild, hash-joined once over every appointment and client).
*/

/** Live, verified links to active portal accounts (today). */
const ACTIVE_PORTAL_LINKS = `
  from client_user_links link join client_users account on account.id = link.client_user_id
  where link.ended_at is null and link.verified_at is not null and account.status = 'active'`

/** A client's live, verified links to active portal accounts. */
const ACTIVE_PORTAL_ACCOUNTS = (clientColumn: string) => `${ACTIVE_PORTAL_LINKS} and link.client_id = ${clientColumn}`

/** A client "with an active portal account": at least one of those. */
const HAS_PORTAL_ACCOUNT = (clientColumn: string) => `exists (select 1 ${ACTIVE_PORTAL_ACCOUNTS(clientColumn)})`

/** "Invited": an invitation not revoked, or an account link of any kind. */
const INVITED = (clientColumn: string) => `(
  exists (select 1 from portal_invitations invitation
          where invitation.client_id = ${clientColumn} and invitation.revoked_at is null)
  or exists (select 1 from client_user_links any_link where any_link.client_id = ${clientColumn}))`

/** The same, as the set of invited clients. */
const INVITED_CLIENTS = `
  select invitation.client_id from portal_invitations invitation where invitation.revoked_at is null
  union
  select any_link.client_id from client_user_links any_link`

/** Reminders whose mail was sent. */
const SENT_REMINDERS = `
  from appointment_reminders reminder join mail_messages mail on mail.id = reminder.mail_message_id
  where mail.status = 'sent'`

/** An appointment "had a reminder": a reminder row for it whose mail was sent. */
const HAD_REMINDER = `exists (select 1 ${SENT_REMINDERS} and reminder.appointment_id = appointments.id)`

/** Which appointments each outcome column counts (a `scheduled` one is "not recorded" once it has started). */
const OUTCOME_CONDITIONS = {
  attended: `status = 'completed'`,
  no_show: `status = 'no_show'`,
  late_cancelled: `status = 'late_cancelled'`,
  cancelled_by_practice: `status = 'cancelled' and cancelled_by_kind = 'practice'`,
  cancelled_by_client: `status = 'cancelled' and cancelled_by_kind in ('client', 'client_link')`,
  cancelled_by_unknown: `status = 'cancelled' and cancelled_by_kind is null`,
} as const
const COUNTED_OUTCOMES = Object.entries(OUTCOME_CONDITIONS).map(
  ([column, condition]) => `count(*) filter (where ${condition}) as ${column}`
)

const OUTCOME_COLUMNS = [
  ...COUNTED_OUTCOMES,
  `count(*) filter (where status = 'scheduled' and starts_at <= :now) as not_recorded`,
  `count(*) filter (where status = 'scheduled' and starts_at > :now) as still_to_come`,
].join(',\n  ')

/** The rollup's closed days: every appointment still `scheduled` on them has started, so is "not recorded". */
const ROLLUP_COUNTS = [...COUNTED_OUTCOMES, `count(*) filter (where status = 'scheduled') as scheduled`]
const ROLLUP_COLUMNS = [...Object.keys(OUTCOME_CONDITIONS), 'scheduled']
const COUNT_COLUMNS = [...Object.keys(OUTCOME_CONDITIONS), 'not_recorded', 'still_to_come']

function countsOf(row: Record<string, unknown>): OutcomeCounts {
  return {
    attended: Number(row.attended),
    noShow: Number(row.no_show),
    lateCancelled: Number(row.late_cancelled),
    cancelledByPractice: Number(row.cancelled_by_practice),
    cancelledByClient: Number(row.cancelled_by_client),
    cancelledByUnknown: Number(row.cancelled_by_unknown),
    notRecorded: Number(row.not_recorded),
  }
}

function bindingsOf(viewer: Viewer, extra: Record<string, string | number>): Record<string, string | number> {
  return seesWholePractice(viewer) ? extra : { ...extra, viewer: viewer.id }
}

/**
 * Outcomes of the period's appointments, in one pass: by month (practice
 * calendar: 23:30 local on the 31st belongs to that month), by provider, by
 * portal account and by reminder, and in total (grouping sets).
 */
async function outcomes(viewer: Viewer, period: InsightPeriod, now: DateTime, start = period.start) {
  if (start >= period.end) return []
  const { rows } = await machinery().rawQuery(
    `with scoped as (
       select appointments.provider_id, appointments.status, appointments.cancelled_by_kind, appointments.starts_at,
              to_char(appointments.starts_at at time zone :tz, 'YYYY-MM') as month,
              ${HAS_PORTAL_ACCOUNT('appointments.client_id')} as portal,
              ${HAD_REMINDER} as reminded
       from appointments
       where appointments.starts_at >= :start and appointments.starts_at < :end
       ${caseloadOf(viewer, 'appointments.client_id')}
     )
     select grouping(month, provider_id, portal, reminded) as grouped, month, provider_id, portal, reminded,
       ${OUTCOME_COLUMNS}
     from scoped
     group by grouping sets ((month), (provider_id), (portal), (reminded), ())`,
    bindingsOf(viewer, {
      tz: practice.timeZone,
      start: start.toISO()!,
      end: period.end.toISO()!,
      now: now.toUTC().toISO()!,
    })
  )
  return rows as Record<string, any>[]
}

/*
| Grouping bits (month, provider, portal, reminded), 1 = rolled up.
*/
const BY_MONTH = 0b0111
const BY_PROVIDER = 0b1011
const BY_PORTAL = 0b1101
const BY_REMINDER = 0b1110
const TOTAL = 0b1111

/**
 * Dropped off as of the period's end: clients active today whose most recent
 * attended appointment was more than `days` days before it, with nothing
 * scheduled from now on. Clients who never attended are not counted.
 */
function dropOffCondition(viewer: Viewer) {
  return `clients.status = 'active'
    ${caseloadOf(viewer, 'clients.id')}
    and last_attended.starts_at < :cutoff
    and not exists (select 1 from appointments upcoming
                    where upcoming.client_id = clients.id and upcoming.status = 'scheduled' and upcoming.starts_at > :now)`
}

const LAST_ATTENDED = `cross join lateral (
    select max(attended.starts_at) as starts_at from appointments attended
    where attended.client_id = clients.id and attended.status = 'completed') last_attended`

export function dropOffCutoff(period: InsightPeriod, days: number) {
  return period.asOf.minus({ days })
}

async function dropOffCount(viewer: Viewer, period: InsightPeriod, days: number, now: DateTime) {
  const row = await machinery()
    .rawQuery(
      `select count(*) as clients from clients ${LAST_ATTENDED} where ${dropOffCondition(viewer)}`,
      bindingsOf(viewer, { cutoff: dropOffCutoff(period, days).toISO()!, now: now.toUTC().toISO()! })
    )
    .then(({ rows }) => rows[0])
  return Number(row.clients)
}

/**
 * Clients whose first attended appointment ever falls in the period, and how
 * many of them have attended fewer than three so far.
 */
async function firstSessions(viewer: Viewer, period: InsightPeriod) {
  const { rows } = await machinery().rawQuery(
    `with newcomers as (
       select appointments.client_id, count(*) as attended
       from appointments
       where appointments.status = 'completed'
         and appointments.client_id in (
           select in_period.client_id from appointments in_period
           where in_period.status = 'completed' and in_period.starts_at >= :start and in_period.starts_at < :end)
         ${caseloadOf(viewer, 'appointments.client_id')}
       group by appointments.client_id
       having min(appointments.starts_at) >= :start
     )
     select count(*) as started, count(*) filter (where attended < 3) as fewer_than_three from newcomers`,
    bindingsOf(viewer, { start: period.start.toISO()!, end: period.end.toISO()! })
  )
  const started = Number(rows[0].started)
  const fewerThanThree = Number(rows[0].fewer_than_three)
  return { started, fewerThanThree, share: percent(fewerThanThree, started) }
}

/**
 * Portal adoption today among active clients: invited (an invitation not
 * revoked, or an account link), with an active portal account, and signed in
 * during the last 30 days (an account acting for them did).
 */
export async function adoption(viewer: Viewer, now: DateTime): Promise<Adoption> {
  const { rows } = await machinery().rawQuery(
    `select count(*) as active_clients,
       count(*) filter (where ${INVITED('clients.id')}) as invited,
       count(*) filter (where ${HAS_PORTAL_ACCOUNT('clients.id')}) as with_account,
       count(*) filter (where exists (select 1 ${ACTIVE_PORTAL_ACCOUNTS('clients.id')}
                                      and account.last_sign_in_at >= :since)) as signed_in
     from clients
     where clients.status = 'active' ${caseloadOf(viewer, 'clients.id')}`,
    bindingsOf(viewer, { since: now.minus({ days: 30 }).toUTC().toISO()! })
  )
  return {
    activeClients: Number(rows[0].active_clients),
    invited: Number(rows[0].invited),
    withAccount: Number(rows[0].with_account),
    signedInLast30Days: Number(rows[0].signed_in),
  }
}

async function providerNames(ids: number[]) {
  if (!ids.length) return new Map<number, string>()
  const rows = await machinery().from('staff_users').whereIn('id', ids).select('id', 'name')
  return new Map(rows.map((row: { id: number; name: string }) => [Number(row.id), row.name]))
}

/** The no-show rate of a period alone (the dashboard's figure). */
export async function noShowRateOf(viewer: Viewer, period: InsightPeriod, now: DateTime, rollup: InsightRollup | null = null) {
  const rows = await outcomeRows(viewer, period, now, rollup)
  const total = rows.find((row) => Number(row.grouped) === TOTAL)
  return withRates(total ? countsOf(total) : NO_OUTCOMES).noShowRate
}

export { dropOffCount }

/*
| The rollup (whole practice only). Rebuilt from scratch by
| refreshInsightRollup: the same definitions as the live statements above,
| counted once for every closed practice day and every client; a rebuild
| writes only the rows whose counts changed.
*/
export interface InsightRollup {
  refreshedAt: DateTime
  /** The first practice day (YYYY-MM-DD) the day tables do not hold: from there on, counted live. */
  daysBefore: string
  durationMs: number
}

/** When the rollup was last rebuilt, or null if never (then everything is counted live). */
export async function insightRollup(): Promise<InsightRollup | null> {
  const row = await machinery()
    .from('insight_refreshes')
    .select('refreshed_at', machinery().raw(`to_char(days_before, 'YYYY-MM-DD') as days_before`), 'duration_ms')
    .first()
  if (!row) return null
  return {
    refreshedAt: DateTime.fromJSDate(row.refreshed_at),
    daysBefore: row.days_before,
    durationMs: Number(row.duration_ms),
  }
}

/** A practice day's first instant, in UTC. */
function practiceDayStart(day: string) {
  return DateTime.fromISO(day, { zone: practice.timeZone }).startOf('day').toUTC()
}

/** Rolled-up sums, shaped as the live statement's rows. */
const ROLLUP_SUMS = [
  ...Object.keys(OUTCOME_CONDITIONS).map((column) => `sum(${column}) as ${column}`),
  'sum(scheduled) as not_recorded',
  '0 as still_to_come',
].join(', ')

/** Outcomes of the period's days that the rollup holds, with the live statement's grouping bits. */
async function rolledUpOutcomes(period: InsightPeriod, daysBefore: string) {
  const until = DateTime.fromISO(period.to).plus({ days: 1 }).toISODate()!
  const bindings = { from: period.from, until: until < daysBefore ? until : daysBefore, ...wholeMonths(period.from, until < daysBefore ? until : daysBefore) }
  if (bindings.from >= bindings.until) return []
  const [days, providers] = await Promise.all([
    machinery().rawQuery(
      `select grouping(month, portal, reminded) as grouped, month, portal, reminded, ${ROLLUP_SUMS}
       from (select to_char(day, 'YYYY-MM') as month, * from insight_outcome_days
             where day >= :from and day < :until) days
       group by grouping sets ((month), (portal), (reminded), ())`,
      bindings
    ),
    // By clinician: the whole months from the monthly sums, the days before and after them from the daily rows.
    machinery().rawQuery(
      `select provider_id, ${ROLLUP_SUMS} from (
         select provider_id, ${ROLLUP_COLUMNS.join(', ')} from insight_provider_months
         where month >= :monthsFrom and month < :monthsUntil
         union all
         select provider_id, ${ROLLUP_COLUMNS.join(', ')} from insight_provider_days
         where day >= :from and day < :monthsFrom
         union all
         select provider_id, ${ROLLUP_COLUMNS.join(', ')} from insight_provider_days
         where day >= :monthsUntil and day < :until
       ) provider_rows
       group by provider_id`,
      bindings
    ),
  ])
  // (month, portal, reminded) bits → (month, provider, portal, reminded): the provider is always rolled up here.
  const widen = (bits: number) => ((bits & 0b100) << 1) | 0b100 | (bits & 0b11)
  return [
    ...days.rows.map((row: Record<string, any>) => ({ ...row, grouped: widen(Number(row.grouped)) })),
    ...providers.rows.map((row: Record<string, any>) => ({ ...row, grouped: BY_PROVIDER })),
  ] as Record<string, any>[]
}

/** The calendar months wholly inside [from, until) (YYYY-MM-DD days), as [monthsFrom, monthsUntil); empty when none. */
function wholeMonths(from: string, until: string) {
  const first = DateTime.fromISO(from)
  const monthsFrom = (first.day === 1 ? first : first.startOf('month').plus({ months: 1 })).toISODate()!
  const monthsUntil = DateTime.fromISO(until).startOf('month').toISODate()!
  // None: the "months" are the empty range at `until`, the days before it all the days.
  return monthsFrom < monthsUntil ? { monthsFrom, monthsUntil } : { monthsFrom: until, monthsUntil: until }
}

/** The outcome rows of a period: live, or the rollup's closed days plus the days since it was built, live. */
async function outcomeRows(viewer: Viewer, period: InsightPeriod, now: DateTime, rollup: InsightRollup | null) {
  if (!rollup) return outcomes(viewer, period, now)
  const liveFrom = DateTime.max(period.start, practiceDayStart(rollup.daysBefore))
  const [rolled, live] = await Promise.all([
    rolledUpOutcomes(period, rollup.daysBefore),
    outcomes(viewer, period, now, liveFrom),
  ])
  return mergeOutcomeRows([...rolled, ...live])
}

/** Drop-off as dropOffCount counts it, from the rollup's row per client. */
async function rolledUpDropOff(period: InsightPeriod, days: number, now: DateTime) {
  const { rows } = await machinery().rawQuery(
    `select count(*) as clients from insight_clients where active and last_attended_at < :cutoff
       and (last_scheduled_at is null or last_scheduled_at <= :now)`,
    { cutoff: dropOffCutoff(period, days).toISO()!, now: now.toUTC().toISO()! }
  )
  return Number(rows[0].clients)
}

/** Adds up rows of the same grouping set and key (the rolled-up days and the live ones). */
function mergeOutcomeRows(rows: Record<string, any>[]) {
  const merged = new Map<string, Record<string, any>>()
  for (const row of rows) {
    const key = [Number(row.grouped), row.month, row.provider_id, row.portal, row.reminded].map((v) => String(v ?? null)).join('|')
    const into = merged.get(key)
    if (!into) merged.set(key, { ...row, grouped: Number(row.grouped) })
    else for (const column of COUNT_COLUMNS) into[column] = Number(into[column]) + Number(row[column])
  }
  return [...merged.values()]
}

/** Drop-off, first sessions and adoption from the rollup's row per client (index ranges) and its totals. */
async function rolledUpClientFigures(period: InsightPeriod, days: number, now: DateTime) {
  const { rows } = await machinery().rawQuery(
    `select
       (select count(*) from insight_clients where active and last_attended_at < :cutoff
          and (last_scheduled_at is null or last_scheduled_at <= :now)) as dropped,
       (select count(*) from insight_clients where first_attended_at >= :start and first_attended_at < :end) as started,
       (select count(*) from insight_clients
          where first_attended_at >= :start and first_attended_at < :end and attended < 3) as fewer_than_three,
       (select count(*) from insight_clients where active and portal_signed_in_at >= :since) as signed_in,
       active_clients, invited, with_account
     from insight_refreshes`,
    {
      cutoff: dropOffCutoff(period, days).toISO()!,
      now: now.toUTC().toISO()!,
      start: period.start.toISO()!,
      end: period.end.toISO()!,
      since: now.minus({ days: 30 }).toUTC().toISO()!,
    }
  )
  const row = rows[0]
  const started = Number(row.started)
  const fewerThanThree = Number(row.fewer_than_three)
  return {
    dropped: Number(row.dropped),
    firsts: { started, fewerThanThree, share: percent(fewerThanThree, started) },
    adopted: {
      activeClients: Number(row.active_clients),
      invited: Number(row.invited),
      withAccount: Number(row.with_account),
      signedInLast30Days: Number(row.signed_in),
    } satisfies Adoption,
  }
}

/** Writes `fresh` (a CTE) into `table`: rows whose counts changed, new rows, and removes the rows gone. */
function syncInto(table: string, fresh: string, keys: string[], columns: string[]) {
  const all = [...keys, ...columns]
  const matches = keys.map((key) => `f.${key} = kept.${key}`).join(' and ')
  return `
  ${table}_written as (
    insert into ${table} as kept (${all.join(', ')})
    select ${all.join(', ')} from ${fresh}
    on conflict (${keys.join(', ')}) do update set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}
    where (${columns.map((c) => `kept.${c}`).join(', ')}) is distinct from (${columns.map((c) => `excluded.${c}`).join(', ')})
    returning 1
  ),
  ${table}_removed as (
    delete from ${table} kept where not exists (select 1 from ${fresh} f where ${matches})
    returning 1
  )`
}

const CLIENT_ROLLUP_COLUMNS = [
  'active',
  'first_attended_at',
  'last_attended_at',
  'attended',
  'last_scheduled_at',
  'invited',
  'has_portal_account',
  'portal_signed_in_at',
]

/**
 * Rebuilds the rollup from scratch as of `now`: every practice day before
 * today's, and every client. One repeatable-read transaction, so the tables
 * agree with each other; a second worker arriving meanwhile does nothing
 * (null).
 */
export async function refreshInsightRollup({ now = DateTime.now() }: { now?: DateTime } = {}) {
  const started = performance.now()
  const daysBefore = now.setZone(practice.timeZone).toISODate()!
  return machinery().transaction(
    async (trx) => {
      const lock = await trx.rawQuery(`select pg_try_advisory_xact_lock(hashtext('insight_rollup')) as mine`)
      if (!lock.rows[0].mine) return null
      const days = await trx.rawQuery(
        `with portal_clients as (select distinct link.client_id ${ACTIVE_PORTAL_LINKS}),
         reminded as (select distinct reminder.appointment_id ${SENT_REMINDERS}),
         scoped as materialized (
           select (appointments.starts_at at time zone :tz)::date as day, appointments.provider_id,
                  appointments.status, appointments.cancelled_by_kind,
                  portal_clients.client_id is not null as portal,
                  reminded.appointment_id is not null as reminded
           from appointments
           left join portal_clients on portal_clients.client_id = appointments.client_id
           left join reminded on reminded.appointment_id = appointments.id
           where appointments.starts_at < :boundary
         ),
         fresh_days as (select day, portal, reminded, ${ROLLUP_COUNTS.join(', ')} from scoped group by day, portal, reminded),
         fresh_providers as (select day, provider_id, ${ROLLUP_COUNTS.join(', ')} from scoped group by day, provider_id),
         fresh_provider_months as (
           select date_trunc('month', day)::date as month, provider_id,
                  ${ROLLUP_COLUMNS.map((column) => `sum(${column}) as ${column}`).join(', ')}
           from fresh_providers group by 1, 2
         ),
         ${syncInto('insight_outcome_days', 'fresh_days', ['day', 'portal', 'reminded'], ROLLUP_COLUMNS)},
         ${syncInto('insight_provider_days', 'fresh_providers', ['day', 'provider_id'], ROLLUP_COLUMNS)},
         ${syncInto('insight_provider_months', 'fresh_provider_months', ['month', 'provider_id'], ROLLUP_COLUMNS)}
         select (select count(*) from insight_outcome_days_written) + (select count(*) from insight_outcome_days_removed)
              + (select count(*) from insight_provider_days_written) + (select count(*) from insight_provider_days_removed)
              + (select count(*) from insight_provider_months_written) + (select count(*) from insight_provider_months_removed)
              as changed`,
        { tz: practice.timeZone, boundary: practiceDayStart(daysBefore).toISO()! }
      )
      const clients = await trx.rawQuery(
        `with by_client as (
           select client_id,
                  min(starts_at) filter (where ${OUTCOME_CONDITIONS.attended}) as first_attended_at,
                  max(starts_at) filter (where ${OUTCOME_CONDITIONS.attended}) as last_attended_at,
                  count(*) filter (where ${OUTCOME_CONDITIONS.attended}) as attended,
                  max(starts_at) filter (where status = 'scheduled') as last_scheduled_at
           from appointments group by client_id
         ),
         invited as (${INVITED_CLIENTS}),
         portal as (select link.client_id, max(account.last_sign_in_at) as signed_in_at ${ACTIVE_PORTAL_LINKS} group by link.client_id),
         fresh_clients as (
           select clients.id as client_id, clients.status = 'active' as active,
                  by_client.first_attended_at, by_client.last_attended_at,
                  coalesce(by_client.attended, 0) as attended, by_client.last_scheduled_at,
                  exists (select 1 from invited where invited.client_id = clients.id) as invited,
                  portal.client_id is not null as has_portal_account,
                  portal.signed_in_at as portal_signed_in_at
           from clients
           left join by_client on by_client.client_id = clients.id
           left join portal on portal.client_id = clients.id
         ),
         ${syncInto('insight_clients', 'fresh_clients', ['client_id'], CLIENT_ROLLUP_COLUMNS)}
         select (select count(*) from insight_clients_written) + (select count(*) from insight_clients_removed) as changed,
                (select count(*) from fresh_clients where active) as active_clients,
                (select count(*) from fresh_clients where active and invited) as invited,
                (select count(*) from fresh_clients where active and has_portal_account) as with_account`
      )
      const changedRows = Number(days.rows[0].changed) + Number(clients.rows[0].changed)
      // A first build or a big change: fresh statistics, so the page's statements are planned for what is there.
      if (changedRows > 10_000) {
        await trx.rawQuery('analyze insight_outcome_days, insight_provider_days, insight_provider_months, insight_clients')
      }
      const durationMs = Math.round(performance.now() - started)
      const totals = clients.rows[0]
      await trx.rawQuery(
        `insert into insight_refreshes (id, refreshed_at, days_before, duration_ms, active_clients, invited, with_account)
         values (true, :at, :daysBefore, :durationMs, :activeClients, :invited, :withAccount)
         on conflict (id) do update set refreshed_at = excluded.refreshed_at, days_before = excluded.days_before,
           duration_ms = excluded.duration_ms, active_clients = excluded.active_clients, invited = excluded.invited,
           with_account = excluded.with_account`,
        {
          at: now.toUTC().toISO()!,
          daysBefore,
          durationMs,
          activeClients: Number(totals.active_clients),
          invited: Number(totals.invited),
          withAccount: Number(totals.with_account),
        }
      )
      return {
        refreshedAt: now,
        daysBefore,
        durationMs,
        changedRows,
      }
    },
    { isolationLevel: 'repeatable read' }
  )
}

/** Forgets the rollup (tests, and an operator who wants the live figures back until the next rebuild). */
export async function forgetInsightRollup() {
  await machinery().from('insight_refreshes').delete()
}

/**
 * Slots refilled from the waitlist (issue #22): offers accepted in the
 * period, in the viewer's caseload.
 */
async function waitlistRefills(viewer: Viewer, period: InsightPeriod) {
  const { rows } = await machinery().rawQuery(
    `select count(*) as refilled
       from waitlist_offers offer
      where offer.status = 'accepted' and offer.decided_at >= :start and offer.decided_at < :end
        ${caseloadOf(viewer, 'offer.client_id')}`,
    bindingsOf(viewer, { start: period.start.toISO()!, end: period.end.toISO()! })
  )
  return Number(rows[0].refilled)
}

/** Every figure of the insights page for this viewer and period. */
export async function figuresFor(
  viewer: Viewer,
  period: InsightPeriod,
  {
    now,
    dropOffDays,
    source = 'rollup when built',
  }: { now: DateTime; dropOffDays: number; source?: 'live' | 'rollup when built' }
): Promise<Figures> {
  const rollup = source !== 'live' && seesWholePractice(viewer) ? await insightRollup() : null
  let rows: Record<string, any>[]
  let dropped: number
  let firsts: Figures['firstSessions']
  let adopted: Adoption
  if (rollup) {
    // The closed days from the rollup, the days since it was built (today at least) live.
    const [rolled, clients] = await Promise.all([
      outcomeRows(viewer, period, now, rollup),
      rolledUpClientFigures(period, dropOffDays, now),
    ])
    rows = rolled
    ;({ dropped, firsts, adopted } = clients)
  } else {
    ;[rows, dropped, firsts, adopted] = await Promise.all([
      outcomes(viewer, period, now),
      dropOffCount(viewer, period, dropOffDays, now),
      firstSessions(viewer, period),
      adoption(viewer, now),
    ])
  }
  const refilled = await waitlistRefills(viewer, period)
  const grouped = (bits: number) => rows.filter((row) => Number(row.grouped) === bits)
  const total = grouped(TOTAL)[0]
  const months = new Map(grouped(BY_MONTH).map((row) => [row.month as string, countsOf(row)]))
  const split = (bits: number, column: 'portal' | 'reminded') => {
    const of = (value: boolean) => grouped(bits).find((row) => row[column] === value)
    return {
      with: withRates(of(true) ? countsOf(of(true)!) : NO_OUTCOMES),
      without: withRates(of(false) ? countsOf(of(false)!) : NO_OUTCOMES),
    }
  }

  const wholePractice = seesWholePractice(viewer)
  const providerRows = wholePractice ? grouped(BY_PROVIDER) : []
  const names = await providerNames(providerRows.map((row) => Number(row.provider_id)))

  return {
    period,
    wholePractice,
    source: rollup ? { kind: 'rollup', refreshedAt: rollup.refreshedAt } : { kind: 'live' },
    months: monthsOf(period).map((month) => ({ month, ...withRates(months.get(month) ?? NO_OUTCOMES) })),
    total: withRates(total ? countsOf(total) : NO_OUTCOMES),
    stillToCome: total ? Number(total.still_to_come) : 0,
    portal: split(BY_PORTAL, 'portal'),
    reminder: split(BY_REMINDER, 'reminded'),
    byClinician: providerRows
      .map((row) => ({
        providerId: Number(row.provider_id),
        name: names.get(Number(row.provider_id)) ?? `Staff #${row.provider_id}`,
        ...withRates(countsOf(row)),
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.providerId - b.providerId),
    dropOff: { clients: dropped, days: dropOffDays, cutoff: dropOffCutoff(period, dropOffDays) },
    firstSessions: firsts,
    adoption: adopted,
    waitlistRefills: refilled,
  }
}

/** One person to reach out to: a link to the record and why. */
export interface OutreachEntry {
  clientId: number
  name: string
  /** The missed appointment, or the last attended one. */
  at: DateTime | string
  reason: string
}

const OUTREACH_ROWS = 100

const CLIENT_NAME = `trim(coalesce(clients.preferred_name, clients.first_name) || ' ' || clients.last_name)`

/**
 * Clients to reach out to, newest first, at most 100 of each list with the
 * total: those who missed an appointment in the period (no-show or late
 * cancellation) with nothing scheduled or attended after it, and those who
 * dropped off (as dropOffCount counts them). Active clients only.
 */
export async function outreachFor(
  viewer: Viewer,
  period: InsightPeriod,
  { now, dropOffDays }: { now: DateTime; dropOffDays: number }
) {
  const missedSql = `
    from (
      select distinct on (appointments.client_id) appointments.client_id, appointments.starts_at, appointments.status
      from appointments
      where appointments.status in ('no_show', 'late_cancelled')
        and appointments.starts_at >= :start and appointments.starts_at < :end
        ${caseloadOf(viewer, 'appointments.client_id')}
      order by appointments.client_id, appointments.starts_at desc
    ) missed
    join clients on clients.id = missed.client_id
    where clients.status = 'active'
      and not exists (select 1 from appointments since
                      where since.client_id = missed.client_id and since.starts_at > missed.starts_at
                        and since.status in ('scheduled', 'completed'))`
  const missedBindings = bindingsOf(viewer, { start: period.start.toISO()!, end: period.end.toISO()! })
  const dropBindings = bindingsOf(viewer, {
    cutoff: dropOffCutoff(period, dropOffDays).toISO()!,
    now: now.toUTC().toISO()!,
  })

  const [missed, missedTotal, dropped, droppedTotal] = await Promise.all([
    machinery().rawQuery(
      `select clients.id, ${CLIENT_NAME} as name, missed.starts_at, missed.status ${missedSql}
       order by missed.starts_at desc, clients.id limit ${OUTREACH_ROWS}`,
      missedBindings
    ),
    machinery().rawQuery(`select count(*) as total ${missedSql}`, missedBindings),
    machinery().rawQuery(
      `select clients.id, ${CLIENT_NAME} as name, last_attended.starts_at
       from clients ${LAST_ATTENDED} where ${dropOffCondition(viewer)}
       order by last_attended.starts_at desc, clients.id limit ${OUTREACH_ROWS}`,
      dropBindings
    ),
    dropOffCount(viewer, period, dropOffDays, now),
  ])

  return {
    missed: {
      total: Number(missedTotal.rows[0].total),
      entries: missed.rows.map((row: any) => ({
        clientId: Number(row.id),
        name: row.name as string,
        at: row.starts_at,
        reason: row.status === 'no_show' ? 'No-show' : 'Late cancellation',
      })) as OutreachEntry[],
    },
    droppedOff: {
      total: droppedTotal,
      entries: dropped.rows.map((row: any) => ({
        clientId: Number(row.id),
        name: row.name as string,
        at: row.starts_at,
        reason: `Last attended more than ${dropOffDays} days before the end of the period`,
      })) as OutreachEntry[],
    },
    shownAtMost: OUTREACH_ROWS,
  }
}

/**
 * The owner's dashboard: this month's no-show rate and drop-off count (up
 * to now), with last month's beside them.
 */
export async function monthHeadlines(
  viewer: Viewer,
  { now, dropOffDays, source = 'rollup when built' }: { now: DateTime; dropOffDays: number; source?: 'live' | 'rollup when built' }
) {
  const thisMonth = monthOf(now, now)
  const lastMonth = monthOf(now.minus({ months: 1 }), now)
  // The same source as /insights: the rollup for the whole practice once it is built.
  const rollup = source !== 'live' && seesWholePractice(viewer) ? await insightRollup() : null
  const dropped = (period: InsightPeriod) =>
    rollup ? rolledUpDropOff(period, dropOffDays, now) : dropOffCount(viewer, period, dropOffDays, now)
  const [noShowNow, noShowBefore, droppedNow, droppedBefore] = await Promise.all([
    noShowRateOf(viewer, thisMonth, now, rollup),
    noShowRateOf(viewer, lastMonth, now, rollup),
    dropped(thisMonth),
    dropped(lastMonth),
  ])
  return {
    thisMonth: { period: thisMonth, noShowRate: noShowNow, droppedOff: droppedNow },
    lastMonth: { period: lastMonth, noShowRate: noShowBefore, droppedOff: droppedBefore },
  }
}
