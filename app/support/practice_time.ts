import { DateTime } from 'luxon'
import practice from '#config/practice'

/*
| Every date shown and every "today" is in the practice's time zone, not the
| server's and not the browser's.
*/
export function inPractice(value: DateTime | Date | string) {
  const date =
    value instanceof DateTime
      ? value
      : value instanceof Date
        ? DateTime.fromJSDate(value)
        : DateTime.fromISO(value)
  return date.setZone(practice.timeZone)
}

export function practiceNow() {
  return DateTime.now().setZone(practice.timeZone)
}

/** The practice's current day, while it lasts: [start, end) in epoch ms. */
let currentDay: { start: DateTime; from: number; until: number } | null = null

/*
| The start of the practice's current day, for rules that go by the day
| (a parent's access ends on the child's 18th birthday; every portal request
| asks). Moving a time into a named zone costs an Intl call each time, so the
| day is worked out once and kept until it ends (or the clock moves back).
| Issue #25: about a sixth of a millisecond of CPU per portal page went here.
*/
export function practiceToday() {
  const now = Date.now()
  if (!currentDay || now < currentDay.from || now >= currentDay.until) {
    const start = DateTime.fromMillis(now, { zone: practice.timeZone }).startOf('day')
    currentDay = { start, from: start.toMillis(), until: start.plus({ days: 1 }).toMillis() }
  }
  return currentDay.start
}

/*
| The formats used on every page, built once per language: Intl.DateTimeFormat
| is costly to create and cheap to reuse (the same output luxon's
| toLocaleString gives). `locale` is an Intl locale ("en-US", "es-US").
*/
const OPTIONS = {
  /** "Tuesday, March 3, 2026" / "martes, 3 de marzo de 2026" */
  date: { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' },
  /** "2:30 PM CST" / "2:30 p.m. CST" */
  time: { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
  /** "Mar 3, 2026, 2:30 PM CST" */
  dateTime: { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
} satisfies Record<string, Intl.DateTimeFormatOptions>

const formats = new Map<string, Intl.DateTimeFormat>()

function formatFor(kind: keyof typeof OPTIONS, locale: string) {
  const key = `${kind} ${locale}`
  let format = formats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...OPTIONS[kind], timeZone: practice.timeZone })
    formats.set(key, format)
  }
  return format
}

type Formattable = DateTime | Date | string | null | undefined

function formatWith(format: Intl.DateTimeFormat, value: Formattable) {
  if (!value) return ''
  const millis =
    value instanceof DateTime ? value.toMillis() : value instanceof Date ? value.getTime() : DateTime.fromISO(value).toMillis()
  return Number.isFinite(millis) ? format.format(millis) : ''
}

/** "Tuesday, March 3, 2026" */
export function formatDate(value: Formattable, locale = 'en-US') {
  return formatWith(formatFor('date', locale), value)
}

/** "2:30 PM CST" */
export function formatTime(value: Formattable, locale = 'en-US') {
  return formatWith(formatFor('time', locale), value)
}

/** "Mar 3, 2026, 2:30 PM CST" */
export function formatDateTime(value: Formattable, locale = 'en-US') {
  return formatWith(formatFor('dateTime', locale), value)
}
