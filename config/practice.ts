import env from '#start/env'

/*
| One deployment serves one practice; its identity comes from the
| environment. `timeZone` is used for every date shown and every "today".
*/
const practice = {
  name: env.get('PRACTICE_NAME'),
  phone: env.get('PRACTICE_PHONE'),
  timeZone: env.get('PRACTICE_TIMEZONE'),
  crisisLineText: env.get('CRISIS_LINE_TEXT'),
  /** The same sentence in Spanish; without it, the catalog's (988 answers in Spanish too). */
  crisisLineTextEs: env.get('CRISIS_LINE_TEXT_ES') ?? null,
  portalIdleMinutes: env.get('PORTAL_IDLE_MINUTES', 15),
  staffIdleMinutes: env.get('STAFF_IDLE_MINUTES', 30),
  /**
   * The hours offered as free times when a booking clashes, in the practice's
   * time zone: a session starts at or after `opens` and ends by `closes`, on
   * these ISO weekdays (1 = Monday). Only suggestions: staff may still book
   * any time.
   */
  bookingHours: {
    opens: { hour: 8, minute: 0 },
    closes: { hour: 18, minute: 0 },
    weekdays: [1, 2, 3, 4, 5],
  },
}

export default practice
