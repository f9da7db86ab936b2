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

/** "Tuesday, March 3, 2026" */
export function formatDate(value: DateTime | Date | string | null | undefined) {
  if (!value) return ''
  return inPractice(value).toLocaleString(
    { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' },
    { locale: 'en-US' }
  )
}

/** "2:30 PM CST" */
export function formatTime(value: DateTime | Date | string | null | undefined) {
  if (!value) return ''
  return inPractice(value).toLocaleString(
    { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
    { locale: 'en-US' }
  )
}

/** "Mar 3, 2026, 2:30 PM CST" */
export function formatDateTime(value: DateTime | Date | string | null | undefined) {
  if (!value) return ''
  return inPractice(value).toLocaleString(
    {
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    },
    { locale: 'en-US' }
  )
}
