import { DateTime } from 'luxon'
import { parsePracticeDay } from '#support/audit_range'
import { practiceNow } from '#support/practice_time'

/*
| The period the insights read: the last 30, 90 or 365 days up to today, or
| whole practice days chosen by the owner (both included). Appointments are
| stored in UTC; this is where a period becomes UTC bounds, so the page, the
| CSV and the dashboard count the same appointments.
*/
export const PERIOD_CHOICES = ['30', '90', '365', 'custom'] as const
export type PeriodChoice = (typeof PERIOD_CHOICES)[number]

export interface InsightPeriod {
  choice: PeriodChoice
  /** First and last practice day, YYYY-MM-DD, both included. */
  from: string
  to: string
  /** UTC instants: `start` included, `end` excluded (the day after `to`, midnight). */
  start: DateTime
  end: DateTime
  /**
   * The moment the period is read "as of": its end, or now when the period
   * ends today. Drop-off is measured from it.
   */
  asOf: DateTime
}

/** The longest custom period: three years of months still read as a table. */
export const LONGEST_PERIOD_DAYS = 1100

export function periodOfDays(first: DateTime, last: DateTime, choice: PeriodChoice, now: DateTime): InsightPeriod {
  const start = first.startOf('day')
  const end = last.plus({ days: 1 }).startOf('day')
  return {
    choice,
    from: start.toISODate()!,
    to: last.toISODate()!,
    start: start.toUTC(),
    end: end.toUTC(),
    asOf: DateTime.min(end, now).toUTC(),
  }
}

/** The last `days` days up to and including today (practice time). */
export function lastDays(days: 30 | 90 | 365, now: DateTime = practiceNow()): InsightPeriod {
  const today = now.setZone(practiceNow().zone).startOf('day')
  return periodOfDays(today.minus({ days: days - 1 }), today, String(days) as PeriodChoice, now)
}

/** Whole practice days chosen by a person (already validated: real days, in order, not in the future). */
export function customDays(from: string, to: string, now: DateTime = practiceNow()): InsightPeriod {
  return periodOfDays(parsePracticeDay(from)!, parsePracticeDay(to)!, 'custom', now)
}

/** A calendar month of the practice, up to now when it is the current one (the dashboard's figures). */
export function monthOf(day: DateTime, now: DateTime = practiceNow()): InsightPeriod {
  const first = day.setZone(practiceNow().zone).startOf('month')
  const last = DateTime.min(first.endOf('month'), now.setZone(first.zone)).startOf('day')
  return periodOfDays(first, last, 'custom', now)
}

/** The months a period touches, oldest first, as YYYY-MM keys (practice calendar). */
export function monthsOf(period: InsightPeriod): string[] {
  const zone = practiceNow().zone
  const months: string[] = []
  let month = parsePracticeDay(period.from)!.setZone(zone).startOf('month')
  const last = parsePracticeDay(period.to)!.setZone(zone).startOf('month')
  while (month <= last) {
    months.push(month.toFormat('yyyy-MM'))
    month = month.plus({ months: 1 })
  }
  return months
}

/** "March 2019" for a YYYY-MM key. */
export function monthLabel(key: string) {
  return DateTime.fromFormat(key, 'yyyy-MM').toFormat('LLLL yyyy')
}
