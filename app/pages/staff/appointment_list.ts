import { urlFor } from '@adonisjs/core/services/url_builder'
import type { DateTime } from 'luxon'
import { parsePracticeDay } from '#support/audit_range'
import { practiceNow } from '#support/practice_time'

/*
| The Appointments list's date range: this week by default, and links to
| the weeks around the one shown.
*/

/** The chosen days, each end filled in: by default this week (Monday to Sunday) in the practice. */
export function listDays(filters: { from?: string; to?: string }) {
  const from = filters.from ?? practiceNow().startOf('week').toISODate()!
  const to = filters.to ?? parsePracticeDay(from)!.plus({ days: 6 }).toISODate()!
  return { from, to }
}

/** Links to the week before and after the shown range, and to this week. */
export function weekLinks(from: string, provider: string, order: { sort: string; dir: string } = { sort: '', dir: '' }) {
  const first = parsePracticeDay(from)!
  const thisWeek = practiceNow().startOf('week')
  const link = (start: DateTime) =>
    urlFor('staff.appointments.index', undefined, {
      qs: withoutBlanks({ from: start.toISODate()!, to: start.plus({ days: 6 }).toISODate()!, provider, ...order }),
    })
  return {
    previous: link(first.minus({ weeks: 1 })),
    next: link(first.plus({ weeks: 1 })),
    current: link(thisWeek),
  }
}

/** A query string value shown back in its field: one short string or nothing. */
export function textOf(value: unknown) {
  return typeof value === 'string' ? value.slice(0, 20) : ''
}

export function withoutBlanks(values: Record<string, string>) {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''))
}
