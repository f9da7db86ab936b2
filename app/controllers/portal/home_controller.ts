import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { auditPortal } from '#services/audit'
import { videoSessionAt } from '#support/video_sessions'

/** The portal's front page: a greeting, the next appointment, what was shared lately. */
export default class HomeController {
  async show(ctx: HttpContext) {
    const { view, portal, htmx } = ctx
    // One after the other: both run on the request's single transaction connection.
    const now = DateTime.now()
    const nextAppointment = await portal.query('appointments')
      .withScopes((scopes) => {
        scopes.nextForPortal(now)
        scopes.withPortalDetails()
        scopes.withVideoRoom()
      })
      .first()
    // A level without resources (DESIGN §14) does not ask: the database would show none anyway.
    const recentResources = portal.allows('resources')
      ? await portal.query('resources')
          .withScopes((scopes) => scopes.withSharedAt(portal.client.id))
          .orderBy('shared_at', 'desc')
          .limit(3)
      : []

    const video = nextAppointment ? videoSessionAt(nextAppointment, nextAppointment.portalVideoUrl, now) : null
    // It shows client information, so it is audited like the other pages (ids and counts only); a restore is not a new view.
    if (!htmx.repeatView) {
      await auditPortal(ctx, 'portal.home.viewed', {
        appointmentId: nextAppointment?.id ?? null,
        resourceCount: recentResources.length,
      })
    }
    return view.render('pages/portal/home', { nextAppointment, recentResources, video })
  }
}
