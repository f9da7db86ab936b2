import { csvLine } from '#support/csv'
import { OUTCOMES, type Figures, type OutcomeRow } from '#actions/insights/figures'

/*
| Every table of the insights page for one period, as one CSV (RFC 4180,
| formula-safe through #support/csv): the first column names the table, so
| a spreadsheet filter separates them. Yielded line by line for a stream.
*/
const OUTCOME_HEADERS = [...OUTCOMES.map((outcome) => outcome.label), 'No-show rate', 'Late-cancel rate', 'Rate denominator']

function outcomeValues(row: OutcomeRow) {
  return [
    ...OUTCOMES.map((outcome) => row[outcome.key]),
    row.noShowRate.text,
    row.lateCancelRate.text,
    row.noShowRate.denominator,
  ]
}

export function* insightsCsv(figures: Figures): Generator<string> {
  const { period } = figures
  yield csvLine(['table', 'period from', 'period to'])
  yield csvLine(['period', period.from, period.to])

  yield csvLine(['table', 'month', ...OUTCOME_HEADERS])
  for (const row of figures.months) yield csvLine(['outcomes by month', row.month, ...outcomeValues(row)])
  yield csvLine(['outcomes by month', 'total', ...outcomeValues(figures.total)])

  yield csvLine(['table', 'group', ...OUTCOME_HEADERS])
  yield csvLine(['side by side', 'with an active portal account', ...outcomeValues(figures.portal.with)])
  yield csvLine(['side by side', 'without an active portal account', ...outcomeValues(figures.portal.without)])
  yield csvLine(['side by side', 'had a reminder', ...outcomeValues(figures.reminder.with)])
  yield csvLine(['side by side', 'no reminder', ...outcomeValues(figures.reminder.without)])

  if (figures.byClinician.length) {
    yield csvLine(['table', 'clinician', ...OUTCOME_HEADERS])
    for (const row of figures.byClinician) yield csvLine(['by clinician', row.name, ...outcomeValues(row)])
  }

  yield csvLine(['table', 'figure', 'count', 'of', 'percentage'])
  yield csvLine(['drop-off', `dropped off (no attended appointment in ${figures.dropOff.days} days, nothing scheduled)`, figures.dropOff.clients, '', ''])
  const firsts = figures.firstSessions
  yield csvLine(['first sessions', 'first attended in the period, attended fewer than three', firsts.fewerThanThree, firsts.started, firsts.share])
  yield csvLine(['waitlist', 'refilled from the waitlist (freed times a waitlisted client took through an emailed offer)', figures.waitlistRefills, '', ''])
  const adoption = figures.adoption
  const share = (count: number) => (adoption.activeClients ? `${((count * 100) / adoption.activeClients).toFixed(1)} %` : '—')
  yield csvLine(['portal adoption', 'active clients', adoption.activeClients, '', ''])
  yield csvLine(['portal adoption', 'invited', adoption.invited, adoption.activeClients, share(adoption.invited)])
  yield csvLine(['portal adoption', 'with an active portal account', adoption.withAccount, adoption.activeClients, share(adoption.withAccount)])
  yield csvLine(['portal adoption', 'signed in during the last 30 days', adoption.signedInLast30Days, adoption.activeClients, share(adoption.signedInLast30Days)])
}
