import type { HttpContext } from '@adonisjs/core/http'

/** The portal's front page: a greeting, the next appointment, what was shared lately. */
export default class HomeController {
  async show({ view, portal }: HttpContext) {
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

    return view.render('pages/portal/home', { nextAppointment, recentResources })
  }
}
