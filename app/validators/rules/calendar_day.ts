import vine from '@vinejs/vine'
import { DAY_FORMAT_HINT, normaliseCalendarDay } from '#support/calendar_day'

export const CALENDAR_DAY_MESSAGE = `Please enter a date as ${DAY_FORMAT_HINT}, for example 03/02/2026.`

/**
 * A VineJS rule: a real day, as a date input sends it (YYYY-MM-DD) or as it
 * shows it (month/day/year); it becomes YYYY-MM-DD. Reported as `practiceDay`.
 */
export const calendarDay = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const day = normaliseCalendarDay(value)
  if (!day) {
    field.report(CALENDAR_DAY_MESSAGE, 'practiceDay', field)
    return
  }
  field.mutate(day, field)
})
