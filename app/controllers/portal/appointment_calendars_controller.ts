import type { HttpContext } from '@adonisjs/core/http'
import { create as contentDisposition } from 'content-disposition'
import Appointment from '#models/appointment'
import { appointmentCalendar } from '#services/appointment_calendar'
import { audit } from '#services/audit'
import { inPractice } from '#services/practice_time'

/** An appointment as a calendar file, to add to any calendar app. */
export default class AppointmentCalendarsController {
  async show(ctx: HttpContext) {
    const { params, response, portal } = ctx
    const appointment = await Appointment.query({ client: portal.trx })
      .withScopes((scopes) => scopes.forClient(portal.client.id))
      .where('id', params.id)
      .preload('providerName')
      .firstOrFail()

    await audit(ctx, {
      action: 'portal.appointment.calendar_downloaded',
      actorKind: 'client_user',
      actorId: portal.account.id,
      clientId: portal.client.id,
      detail: { appointmentId: appointment.id },
    })
    response.header('Content-Type', 'text/calendar; charset=utf-8')
    response.header('Content-Disposition', contentDisposition(`appointment-${inPractice(appointment.startsAt).toISODate()}.ics`))
    return appointmentCalendar(appointment)
  }
}
