import type { HttpContext } from '@adonisjs/core/http'
import { create as contentDisposition } from 'content-disposition'
import { appointmentCalendar } from '#services/appointment_calendar'
import { auditPortal } from '#services/audit'
import { inPractice } from '#support/practice_time'

/** An appointment as a calendar file, to add to any calendar app. */
export default class AppointmentCalendarsController {
  async show(ctx: HttpContext) {
    const { params, response, portal, i18n } = ctx
    const appointment = await portal.query('appointments')
      .where('id', params.id)
      .preload('providerName')
      .firstOrFail()

    await auditPortal(ctx, 'portal.appointment.calendar_downloaded', { appointmentId: appointment.id })
    response.header('Content-Type', 'text/calendar; charset=utf-8')
    const fileName = i18n.t('calendar.file_name', { date: inPractice(appointment.startsAt).toISODate() })
    response.header('Content-Disposition', contentDisposition(fileName))
    // Discreet mode: titled "Appointment", nothing naming the practice or provider (DESIGN §15).
    return appointmentCalendar(appointment, i18n, { discreet: await portal.discreetMode() })
  }
}
