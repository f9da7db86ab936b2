import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { auditPortal } from '#services/audit'
import { asPrepared } from '#services/prepared_statements'
import { videoSessionAt } from '#support/video_sessions'

/** The portal's front page: a greeting, the next appointment, what was shared lately. */
export default class HomeController {
  async show(ctx: HttpContext) {
    const { view, portal, htmx } = ctx
    // One after the other: both run on the request's single transaction connection.
    const now = DateTime.now()
    // Both are prepared on each connection (services/prepared_statements.ts): the most visited portal page.
    const nextAppointment = await asPrepared(
      portal.query('appointments')
        .withScopes((scopes) => {
          scopes.nextForPortal(now)
          scopes.withPortalDetails()
          scopes.withVideoRoom()
        })
        .limit(1),
      'portal_next_appointment'
    ).first()
    // A level without resources (DESIGN §14) does not ask: the database would show none anyway.
    const recentResources = portal.allows('resources')
      ? await asPrepared(
          portal.query('resources')
            .withScopes((scopes) => scopes.withSharedAt(portal.client.id))
            .orderBy('shared_at', 'desc')
            .limit(3),
          'portal_recent_resources'
        )
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
