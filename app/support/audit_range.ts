import { DateTime } from 'luxon'
import practice from '#config/practice'
import { practiceNow } from '#support/practice_time'
import { normaliseCalendarDay } from '#support/calendar_day'

/*
| The audit log is read by whole days of the practice's calendar (the page's
| filters and `node ace audit:export`), while events are stored in UTC. This
| is the one place a day range becomes UTC bounds, so the page and the
| export always agree on which events a day holds.
*/

/** An inclusive range of practice days, each written YYYY-MM-DD. */
export interface PracticeDays {
  from: string
  to: string
}

/** UTC instants: `start` included, `end` excluded. */
export interface UtcBounds {
  start: DateTime
  end: DateTime
}

/** The start of a day (YYYY-MM-DD or month/day/year) in the practice time zone, or null when it is no real day. */
export function parsePracticeDay(text: string): DateTime | null {
  const isoDay = normaliseCalendarDay(text)
  if (!isoDay) return null
  const day = DateTime.fromISO(isoDay, { zone: practice.timeZone })
  return day.isValid ? day.startOf('day') : null
}

/**
 * Whole practice days, both ends included, as UTC bounds. The end is the
 * next day's midnight, so a day of a daylight-saving change keeps its 23 or
 * 25 hours.
 */
export function practiceDaysToUtc({ from, to }: PracticeDays): UtcBounds {
  const first = parsePracticeDay(from)
  const last = parsePracticeDay(to)
  if (!first || !last) throw new RangeError(`Not a day range: ${from}..${to}`)
  return { start: first.toUTC(), end: last.plus({ days: 1 }).startOf('day').toUTC() }
}

/**
 * The days the audit log page shows: what was asked for, else the last
 * seven days up to today. Only one end given: the other is filled in
 * around it.
 */
export function pageDays(asked: Partial<PracticeDays>): PracticeDays {
  const today = practiceNow().toISODate()!
  const to = asked.to ?? (asked.from && asked.from > today ? asked.from : today)
  const from = asked.from ?? parsePracticeDay(to)!.minus({ days: 6 }).toISODate()!
  return { from, to }
}
