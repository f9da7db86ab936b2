import { DateTime } from 'luxon'

/*
| A calendar day as people see and type it. A date input sends YYYY-MM-DD
| but shows (and, where a browser has no date picker, lets people type) the
| US order month/day/year, which is what hints and messages show. Both come
| in; YYYY-MM-DD goes out.
*/
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const US_DAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/

/** "2026-03-02" for "2026-03-02" or "3/2/2026"; null when it is not a real day. */
export function normaliseCalendarDay(text: string): string | null {
  const trimmed = text.trim()
  const iso = ISO_DAY.exec(trimmed)
  const us = iso ? null : US_DAY.exec(trimmed)
  const parts = iso
    ? { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) }
    : us
      ? { year: Number(us[3]), month: Number(us[1]), day: Number(us[2]) }
      : null
  if (!parts) return null
  const day = DateTime.fromObject(parts, { zone: 'UTC' })
  return day.isValid ? day.toISODate() : null
}

/** How a day is written in hints and messages: as the date input shows it. */
export const DAY_FORMAT_HINT = 'month/day/year'
