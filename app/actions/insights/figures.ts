import db from '@adonisjs/lucid/services/db'
import type { DateTime } from 'luxon'
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

export interface Figures {
  period: InsightPeriod
  wholePractice: boolean
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

/** A client "with an active portal account": a live, verified link to an active account (today). */
const HAS_PORTAL_ACCOUNT = (clientColumn: string) => `exists (
  select 1 from client_user_links link join client_users account on account.id = link.client_user_id
  where link.client_id = ${clientColumn} and link.ended_at is null and link.verified_at is not null
    and account.status = 'active')`

/** An appointment "had a reminder": a reminder row for it whose mail was sent. */
const HAD_REMINDER = `exists (
  select 1 from appointment_reminders reminder join mail_messages mail on mail.id = reminder.mail_message_id
  where reminder.appointment_id = appointments.id and mail.status = 'sent')`

const OUTCOME_COLUMNS = `
  count(*) filter (where status = 'completed') as attended,
  count(*) filter (where status = 'no_show') as no_show,
  count(*) filter (where status = 'late_cancelled') as late_cancelled,
  count(*) filter (where status = 'cancelled' and cancelled_by_kind = 'practice') as cancelled_by_practice,
  count(*) filter (where status = 'cancelled' and cancelled_by_kind in ('client', 'client_link')) as cancelled_by_client,
  count(*) filter (where status = 'cancelled' and cancelled_by_kind is null) as cancelled_by_unknown,
  count(*) filter (where status = 'scheduled' and starts_at <= :now) as not_recorded,
  count(*) filter (where status = 'scheduled' and starts_at > :now) as still_to_come`

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
async function outcomes(viewer: Viewer, period: InsightPeriod, now: DateTime) {
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
      start: period.start.toISO()!,
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
       count(*) filter (where exists (select 1 from portal_invitations invitation
                                      where invitation.client_id = clients.id and invitation.revoked_at is null)
                           or exists (select 1 from client_user_links any_link where any_link.client_id = clients.id)) as invited,
       count(*) filter (where ${HAS_PORTAL_ACCOUNT('clients.id')}) as with_account,
       count(*) filter (where exists (
         select 1 from client_user_links link join client_users account on account.id = link.client_user_id
         where link.client_id = clients.id and link.ended_at is null and link.verified_at is not null
           and account.status = 'active' and account.last_sign_in_at >= :since)) as signed_in
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
export async function noShowRateOf(viewer: Viewer, period: InsightPeriod, now: DateTime) {
  const rows = await outcomes(viewer, period, now)
  const total = rows.find((row) => Number(row.grouped) === TOTAL)
  return withRates(total ? countsOf(total) : NO_OUTCOMES).noShowRate
}

export { dropOffCount }

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
  { now, dropOffDays }: { now: DateTime; dropOffDays: number }
): Promise<Figures> {
  const [rows, dropped, firsts, adopted] = await Promise.all([
    outcomes(viewer, period, now),
    dropOffCount(viewer, period, dropOffDays, now),
    firstSessions(viewer, period),
    adoption(viewer, now),
  ])
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
export async function monthHeadlines(viewer: Viewer, { now, dropOffDays }: { now: DateTime; dropOffDays: number }) {
  const thisMonth = monthOf(now, now)
  const lastMonth = monthOf(now.minus({ months: 1 }), now)
  const [noShowNow, noShowBefore, droppedNow, droppedBefore] = await Promise.all([
    noShowRateOf(viewer, thisMonth, now),
    noShowRateOf(viewer, lastMonth, now),
    dropOffCount(viewer, thisMonth, dropOffDays, now),
    dropOffCount(viewer, lastMonth, dropOffDays, now),
  ])
  return {
    thisMonth: { period: thisMonth, noShowRate: noShowNow, droppedOff: droppedNow },
    lastMonth: { period: lastMonth, noShowRate: noShowBefore, droppedOff: droppedBefore },
  }
}
