import type { DateTime } from 'luxon'
import { inPractice } from '#support/practice_time'

/*
| The waitlist's rules (issue #22), in one place: a freed slot is offered
| only while it starts at least 12 hours ahead, to 3 clients at a time, and
| to the next 3 when nobody accepted within 2 hours. The limits a client
| chooses are the bitmasks of appointment requests (request_preferences.ts);
| the parts of the day, in the practice's time zone: morning before noon,
| afternoon until 5 pm, evening from 5 pm.
*/
export const OFFER_LEAD_HOURS = 12
export const OFFERS_PER_WAVE = 3
export const WAVE_HOURS = 2

/** The day-of-week and part-of-day bits a start time falls in, in the practice's time zone. */
export function slotBits(startsAt: DateTime) {
  const local = inPractice(startsAt)
  const part = local.hour < 12 ? 0 : local.hour < 17 ? 1 : 2
  return { dayBit: 1 << (local.weekday - 1), partBit: 1 << part }
}

/** Whether a slot starting then may still be offered (and accepted) at `now`. */
export function offerableAt(startsAt: DateTime, now: DateTime) {
  return startsAt.diff(now, 'hours').hours >= OFFER_LEAD_HOURS
}
