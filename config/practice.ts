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
  portalIdleMinutes: env.get('PORTAL_IDLE_MINUTES', 15),
  staffIdleMinutes: env.get('STAFF_IDLE_MINUTES', 30),
}

export default practice
