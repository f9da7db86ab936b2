/*
| `npm run bench` only (BENCH_BASELINE=true): the bare baseline route the
| portal pages are compared against (issue 9). Never loaded otherwise.
|
| GET /bench/baseline renders the portal's appointments template from ONE
| plain indexed query for a random client, on the client-data pool: no
| session, shield, auth, portal context or transaction, no audit.
|
| Server middleware run before routing, so a route alone would still go
| through session, shield, auth and the surface isolation. The default
| export is therefore also a server middleware (listed first in
| start/kernel.ts, in bench mode only) that answers exactly
| GET /bench/baseline itself and hands every other request on untouched: the
| portal and staff pages keep their whole stack. It is deliberately no route
| of the router, so the committed route types never name it.
*/
import db from '@adonisjs/lucid/services/db'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { STATUS_LABELS, type AppointmentStatus } from '#models/appointment'

export const BASELINE_PATH = '/bench/baseline'

/** Highest client id, read once: the range the random client is drawn from. */
let maxClientId: Promise<number> | null = null

export async function baseline({ view }: HttpContext) {
  maxClientId ??= db
    .rawQuery('select coalesce(max(id), 1)::int as id from clients')
    .then(({ rows }) => rows[0].id as number)
  const clientId = 1 + Math.floor(Math.random() * (await maxClientId))

  const { rows } = await db.rawQuery(
    `select a.id, a.starts_at, a.status, a.is_telehealth, a.location, t.name as type_name, s.name as provider_name
       from appointments a
       join appointment_types t on t.id = a.appointment_type_id
       join staff_users s on s.id = a.provider_id
      where a.client_id = ?
      order by a.starts_at
      limit 20`,
    [clientId]
  )

  // The shape pages/portal/appointments/_list.edge reads.
  const appointments = rows.map((row: Record<string, any>) => ({
    id: row.id,
    startsAt: row.starts_at,
    status: row.status,
    statusLabel: STATUS_LABELS[row.status as AppointmentStatus],
    isTelehealth: row.is_telehealth,
    location: row.location,
    appointmentType: { name: row.type_name },
    providerName: { name: row.provider_name },
  }))
  return view.render('pages/portal/appointments/index', { appointments, tab: 'upcoming' })
}

/** First server middleware in bench mode: the baseline bare, everything else untouched. */
export default class BenchBaselineMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.url() === BASELINE_PATH && ctx.request.method() === 'GET') {
      return ctx.response.send(await baseline(ctx))
    }
    return next()
  }
}
