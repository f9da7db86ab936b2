import type { HttpContext } from '@adonisjs/core/http'
import { auditPortal } from '#services/audit'

/** The portal's front page: a greeting, the next appointment, what was shared lately. */
export default class HomeController {
  async show(ctx: HttpContext) {
    const { view, portal, htmx } = ctx
    // One after the other: both run on the request's single transaction connection.
    const nextAppointment = await portal.query('appointments')
      .withScopes((scopes) => scopes.upcoming())
      .where('appointments.status', 'scheduled')
      .withScopes((scopes) => scopes.withPortalDetails())
      .first()
    // A level without resources (DESIGN §14) does not ask: the database would show none anyway.
    const recentResources = portal.allows('resources')
      ? await portal.query('resources')
          .withScopes((scopes) => scopes.withSharedAt(portal.client.id))
          .orderBy('shared_at', 'desc')
          .limit(3)
      : []

    // It shows client information, so it is audited like the other pages (ids and counts only); a restore is not a new view.
    if (!htmx.repeatView) {
      await auditPortal(ctx, 'portal.home.viewed', {
        appointmentId: nextAppointment?.id ?? null,
        resourceCount: recentResources.length,
      })
    }
    return view.render('pages/portal/home', { nextAppointment, recentResources })
  }
}
