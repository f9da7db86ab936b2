import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import Appointment from '#models/appointment'
import Client from '#models/client'
import ClientUser from '#models/client_user'
import ClientUserLink from '#models/client_user_link'
import { mayOpen } from '#abilities/areas'
import { practiceNow } from '#support/practice_time'
import { paginateInOneStatement } from '#services/pagination'
import PracticeSetting from '#models/practice_setting'
import { monthHeadlines, seesWholePractice } from '#actions/insights/figures'

/** Rows of each table (today, this week); the figures count them all, the Appointments area lists them all. */
const ROWS_SHOWN = 100
/** Rows of the attendance still to record; the figure beside it counts them all. */
const OUTCOME_ROWS_SHOWN = 50

/*
| Today and this week at a glance, in the practice's time zone, and the
| past appointments whose attendance is still to record. A clinician's
| figures are her caseload's (Appointment.visibleTo, Client.visibleTo,
| ClientUser.actingForClientsOf); her attendance list holds the sessions she
| provided. Nothing clinical: no session note is read here.
*/
export default class DashboardController {
  async show({ view, auth }: HttpContext) {
    const staff = auth.use('staff').getUserOrFail()
    const now = practiceNow()
    const today = now.startOf('day')
    const week = { first: now.startOf('week'), last: now.startOf('week').plus({ days: 6 }) }

    const appointmentsOf = (from: typeof today, until: typeof today) =>
      Appointment.query()
        .select('appointments.*')
        .withScopes((scopes) => {
          scopes.visibleTo(staff)
          scopes.startingBetween(from, until)
          scopes.chronological()
          scopes.withListDetails()
        })

    // Oldest first: this is a work queue. The longest-waiting record matters most (memory fades,
    // and billing has deadlines), and newest first would keep a backlog beyond the first rows
    // out of sight for good; recording one brings the next into the list.
    const awaitingOutcome = Appointment.query()
      .select('appointments.*')
      .withScopes((scopes) => {
        scopes.worklistOf(staff)
        scopes.awaitingOutcome(now)
        scopes.chronological()
        scopes.withListDetails()
      })

    // A large practice has hundreds of appointments a day: the first rows, and the total beside them.
    // The owner's and the administrator's retention figures (issue #21), linking to /insights.
    const headlines = seesWholePractice(staff)
      ? PracticeSetting.current().then((settings) => monthHeadlines(staff, { now, dropOffDays: settings.dropOffDays }))
      : Promise.resolve(null)

    const [todays, thisWeek, toRecord, activeClients, portalAccounts, insights] = await Promise.all([
      paginateInOneStatement(appointmentsOf(today, today.plus({ days: 1 })), 1, ROWS_SHOWN),
      paginateInOneStatement(appointmentsOf(week.first, week.last.plus({ days: 1 })), 1, ROWS_SHOWN),
      paginateInOneStatement(awaitingOutcome, 1, OUTCOME_ROWS_SHOWN),
      Client.query()
        .withScopes((scopes) => {
          scopes.visibleTo(staff)
          scopes.withStatus('active')
        })
        .count('* as total')
        .firstOrFail(),
      ClientUser.query()
        .withScopes((scopes) => scopes.actingForClientsOf(staff))
        .where('status', 'active')
        .count('* as total')
        .firstOrFail(),
      headlines,
    ])

    // Parents' links to teens that the family-access migration narrowed (issue #20): for those who set levels.
    const linksToReview = mayOpen(staff, 'portalSettings')
      ? await ClientUserLink.query()
          .withScopes((scopes) => scopes.live())
          .whereNotNull('client_user_links.level_review_at')
          .withScopes((scopes) => scopes.withClient())
          .orderBy('client_user_links.id')
          .limit(ROWS_SHOWN)
      : []

    return view.render('pages/staff/dashboard', {
      linksToReview,
      todays,
      thisWeek,
      toRecord,
      activeClients: Number(activeClients.$extras.total),
      portalAccounts: Number(portalAccounts.$extras.total),
      caseloadOnly: staff.role === 'clinician',
      insights,
      today,
      week,
      todayUrl: urlFor('staff.appointments.index', undefined, {
        qs: { from: today.toISODate(), to: today.toISODate() },
      }),
      weekUrl: urlFor('staff.appointments.index', undefined, {
        qs: { from: week.first.toISODate(), to: week.last.toISODate() },
      }),
    })
  }
}
