import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import Appointment from '#models/appointment'
import Client from '#models/client'
import ClientUser from '#models/client_user'
import { practiceNow } from '#services/practice_time'

/** Rows of this week's table; the Appointments area has the rest. */
const WEEK_SHOWN = 100

/*
| Today and this week at a glance, in the practice's time zone. A clinician
| sees their own caseload only (Appointment.visibleTo, Client.visibleTo).
| Nothing clinical: no session note is read here.
*/
export default class DashboardController {
  async show({ view, auth }: HttpContext) {
    const staff = auth.use('staff').getUserOrFail()
    const now = practiceNow()
    const today = now.startOf('day')
    const week = { first: now.startOf('week'), last: now.startOf('week').plus({ days: 6 }) }

    const appointmentsOf = (from: typeof today, until: typeof today) =>
      Appointment.query().withScopes((scopes) => {
        scopes.visibleTo(staff)
        scopes.startingBetween(from, until)
        scopes.chronological()
        scopes.withListDetails()
      })

    const [todays, thisWeek, activeClients, portalAccounts] = await Promise.all([
      appointmentsOf(today, today.plus({ days: 1 })),
      appointmentsOf(week.first, week.last.plus({ days: 1 })).limit(WEEK_SHOWN + 1),
      Client.query()
        .withScopes((scopes) => {
          scopes.visibleTo(staff)
          scopes.withStatus('active')
        })
        .count('* as total')
        .firstOrFail(),
      ClientUser.query().where('status', 'active').count('* as total').firstOrFail(),
    ])

    return view.render('pages/staff/dashboard', {
      todays,
      thisWeek: thisWeek.slice(0, WEEK_SHOWN),
      moreThisWeek: thisWeek.length > WEEK_SHOWN,
      weekShown: WEEK_SHOWN,
      activeClients: Number(activeClients.$extras.total),
      portalAccounts: Number(portalAccounts.$extras.total),
      caseloadOnly: staff.role === 'clinician',
      today,
      week,
      weekUrl: urlFor('staff.appointments.index', undefined, {
        qs: { from: week.first.toISODate(), to: week.last.toISODate() },
      }),
    })
  }
}
