import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { videoSessionAt } from '#support/video_sessions'

/** The portal's front page: a greeting, the next appointment, what was shared lately. */
export default class HomeController {
  async show({ view, portal }: HttpContext) {
    // One after the other: both run on the request's single transaction connection.
    const now = DateTime.now()
    const nextAppointment = await portal.query('appointments')
      .withScopes((scopes) => {
        scopes.nextForPortal(now)
        scopes.withPortalDetails()
        scopes.withVideoRoom()
      })
      .first()
    const recentResources = await portal.query('resources')
      .withScopes((scopes) => scopes.withSharedAt(portal.client.id))
      .orderBy('shared_at', 'desc')
      .limit(3)

    const video = nextAppointment ? videoSessionAt(nextAppointment, nextAppointment.portalVideoUrl, now) : null
    return view.render('pages/portal/home', { nextAppointment, recentResources, video })
  }
}
