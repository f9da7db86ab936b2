import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { appointmentListValidator } from '#validators/portal_lists'
import { portalMessages } from '#validators/portal_messages'
import { auditPortal } from '#services/audit'
import { paginateInOneStatement } from '#services/pagination'
import PracticeSetting from '#models/practice_setting'
import { videoSessionAt } from '#support/video_sessions'

const PER_PAGE = 10

/** The active client's appointments: metadata only (date, time, provider, type, place, status). */
export default class AppointmentsController {
  async index(ctx: HttpContext) {
    const { request, view, portal, htmx } = ctx
    const { tab = 'upcoming', page = 1 } = await request.validateUsing(appointmentListValidator, {
      data: request.qs(),
      messagesProvider: portalMessages(ctx),
    })

    const now = DateTime.now()
    const appointments = await paginateInOneStatement(
      portal.query('appointments')
        .withScopes((scopes) => (tab === 'past' ? scopes.past(now) : scopes.upcoming(now)))
        .withScopes((scopes) => scopes.withPortalDetails()),
      page,
      PER_PAGE,
      { prepared: `portal_appointments_${tab}` }
    )
    appointments.baseUrl('/portal/appointments').queryString({ tab })

    if (!htmx.repeatView) {
      await auditPortal(ctx, 'portal.appointments.viewed', { tab, page })
    }
    const template = htmx.partial ? 'pages/portal/appointments/_list' : 'pages/portal/appointments/index'
    return view.render(template, { appointments, tab })
  }

  async show(ctx: HttpContext) {
    const { params, view, portal } = ctx
    const appointment = await portal.query('appointments')
      .where('appointments.id', params.id)
      .withScopes((scopes) => {
        scopes.withPortalDetails()
        scopes.withVideoRoom()
      })
      .firstOrFail()

    await auditPortal(ctx, 'portal.appointment.viewed', { appointmentId: appointment.id })
    const now = DateTime.now()
    return view.render('pages/portal/appointments/show', {
      appointment,
      // Whether the page offers "cancel" or the phone (the same rule as the POST).
      cancellation: appointment.clientCancellation(await PracticeSetting.current(), now),
      video: videoSessionAt(appointment, appointment.portalVideoUrl, now),
    })
  }
}
