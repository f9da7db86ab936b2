import type { HttpContext } from '@adonisjs/core/http'
import Appointment from '#models/appointment'

/** The portal's front page: a greeting and the next appointment. */
export default class HomeController {
  async show({ view, portal }: HttpContext) {
    const nextAppointment = await Appointment.query({ client: portal.trx })
      .withScopes((scopes) => scopes.forClient(portal.client.id))
      .withScopes((scopes) => scopes.upcoming())
      .where('status', 'scheduled')
      .preload('providerName')
      .preload('appointmentType')
      .first()

    return view.render('pages/portal/home', { nextAppointment })
  }
}
