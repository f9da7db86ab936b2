import { DateTime } from 'luxon'
import practice from '#config/practice'

/*
| Free times of a provider for a booking of a given length: what the
| double-booking error offers instead of the refused time. Pure: the caller
| reads the provider's busy times (Appointment.holdingTheirTime) and passes
| them in.
*/

export interface BookingHours {
  opens: { hour: number; minute: number }
  closes: { hour: number; minute: number }
  /** ISO weekdays, 1 = Monday. */
  weekdays: number[]
}

export interface BusyTime {
  startsAt: DateTime
  endsAt: DateTime
}

/** How many days after the asked day the search goes on. */
export const FREE_TIME_SEARCH_DAYS = 14

/**
 * The first `count` free times of `minutes` minutes from `from` on, within
 * working hours, in order. Each starts either at `from` (rounded up to five
 * minutes), at opening time, or right when something ends — a busy time or
 * the previous suggestion — so the times are back to back rather than on an
 * arbitrary grid, and the suggestions never overlap each other (three real
 * alternatives rather than 10:50, 11:00 and 11:15). Empty when nothing fits
 * in the days searched.
 */
export function nextFreeTimes(options: {
  busy: BusyTime[]
  from: DateTime
  minutes: number
  count?: number
  days?: number
  zone?: string
  hours?: BookingHours
}): DateTime[] {
  const { busy, minutes, count = 3, days = FREE_TIME_SEARCH_DAYS } = options
  const zone = options.zone ?? practice.timeZone
  const hours = options.hours ?? practice.bookingHours
  const from = roundUpToFiveMinutes(options.from.setZone(zone))
  const lastDay = from.startOf('day').plus({ days })
  const found: DateTime[] = []

  for (let day = from.startOf('day'); day <= lastDay && found.length < count; day = day.plus({ days: 1 })) {
    if (!hours.weekdays.includes(day.weekday)) continue
    const opens = day.set({ hour: hours.opens.hour, minute: hours.opens.minute })
    const closes = day.set({ hour: hours.closes.hour, minute: hours.closes.minute })
    let start = from > opens ? from : opens
    while (found.length < count && start.plus({ minutes }) <= closes) {
      const end = start.plus({ minutes })
      const clash = busy.find((time) => time.startsAt < end && start < time.endsAt)
      if (clash) {
        start = clash.endsAt.setZone(zone)
        continue
      }
      found.push(start)
      start = end
    }
  }
  return found
}

function roundUpToFiveMinutes(moment: DateTime) {
  const floored = moment.startOf('minute')
  const extra = (5 - (floored.minute % 5)) % 5
  return floored.toMillis() === moment.toMillis() && extra === 0 ? floored : floored.plus({ minutes: extra === 0 ? 5 : extra })
}
