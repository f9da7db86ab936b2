/*
| The reminder due query's text (issue #17), with no imports, so the bench
| (bench/reminders.ts) EXPLAINs exactly what the due pass runs.
| Bind, in order: now, 60 (minutes: none within the last hour), now, 168
| (hours: the longest lead), the practice's default lead (a client without
| preferences), now, limit. Uses appointments_scheduled_starts_at for the
| window and appointment_reminders_once for "not yet reminded".
*/
export const DUE_QUERY = `select a.id, a.starts_at
  from appointments a
  join clients c on c.id = a.client_id
  left join client_preferences p on p.client_id = a.client_id
 where a.status = 'scheduled'
   and a.starts_at > ?::timestamptz + make_interval(mins => ?)
   and a.starts_at <= ?::timestamptz + make_interval(hours => ?)
   and a.starts_at - make_interval(hours => coalesce(p.reminder_lead_hours, ?)) <= ?::timestamptz
   and c.status = 'active'
   and coalesce(p.reminder_channel, 'email') = 'email'
   and not exists (
         select 1 from appointment_reminders r
          where r.appointment_id = a.id and r.starts_at = a.starts_at)
 order by a.starts_at, a.id
 limit ?`

/** The query with PostgreSQL's numbered parameters ($1…), for a plain pg client. */
export function numberedDueQuery() {
  let n = 0
  return DUE_QUERY.replace(/\?/g, () => `$${++n}`)
}
