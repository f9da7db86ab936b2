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

/*
| The formats used on every page, built once: Intl.DateTimeFormat is costly
| to create and cheap to reuse (the same output luxon's toLocaleString gives).
*/
const FORMATS = {
  /** "Tuesday, March 3, 2026" */
  date: new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: practice.timeZone,
  }),
  /** "2:30 PM CST" */
  time: new Intl.DateTimeFormat('en-US', {
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone: practice.timeZone,
  }),
  /** "Mar 3, 2026, 2:30 PM CST" */
  dateTime: new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone: practice.timeZone,
  }),
}

type Formattable = DateTime | Date | string | null | undefined

function formatWith(format: Intl.DateTimeFormat, value: Formattable) {
  if (!value) return ''
  const millis =
    value instanceof DateTime ? value.toMillis() : value instanceof Date ? value.getTime() : DateTime.fromISO(value).toMillis()
  return Number.isFinite(millis) ? format.format(millis) : ''
}

/** "Tuesday, March 3, 2026" */
export function formatDate(value: Formattable) {
  return formatWith(FORMATS.date, value)
}

/** "2:30 PM CST" */
export function formatTime(value: Formattable) {
  return formatWith(FORMATS.time, value)
}

/** "Mar 3, 2026, 2:30 PM CST" */
export function formatDateTime(value: Formattable) {
  return formatWith(FORMATS.dateTime, value)
}
