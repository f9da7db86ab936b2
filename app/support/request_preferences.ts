/*
| The times a client may ask for (issue #19): days of the week and parts of
| the day, stored as bitmasks so two identical requests are equal numbers.
| Monday = 1 … Sunday = 64 (ISO weekday order); morning = 1, afternoon = 2,
| evening = 4.
*/
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

export const DAY_PARTS = ['morning', 'afternoon', 'evening'] as const
export type DayPart = (typeof DAY_PARTS)[number]

export const REQUEST_MODALITIES = ['in_person', 'video'] as const
export type RequestModality = (typeof REQUEST_MODALITIES)[number]

export const REQUEST_KINDS = ['new', 'reschedule'] as const
export type RequestKind = (typeof REQUEST_KINDS)[number]

export const REQUEST_STATUSES = ['open', 'booked', 'declined', 'withdrawn'] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]

/** What a client may write and staff may reply. */
export const REQUEST_NOTE_MAX = 500
export const DECLINE_MESSAGE_MAX = 300

function toMask<T extends string>(all: readonly T[], chosen: readonly T[]) {
  return chosen.reduce((mask, item) => mask | (1 << all.indexOf(item)), 0)
}

function fromMask<T extends string>(all: readonly T[], mask: number): T[] {
  return all.filter((_, index) => (mask & (1 << index)) !== 0)
}

export const daysMask = (days: readonly Weekday[]) => toMask(WEEKDAYS, days)
export const partsMask = (parts: readonly DayPart[]) => toMask(DAY_PARTS, parts)
export const daysOf = (mask: number) => fromMask(WEEKDAYS, mask)
export const partsOf = (mask: number) => fromMask(DAY_PARTS, mask)

/** Staff's words (staff pages stay English). */
export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
}
export const DAY_PART_LABELS: Record<DayPart, string> = { morning: 'morning', afternoon: 'afternoon', evening: 'evening' }
