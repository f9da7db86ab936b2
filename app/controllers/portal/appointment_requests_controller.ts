import { errors, type HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import type AppointmentRequest from '#models/appointment_request'
import type Appointment from '#models/appointment'
import {
  askForAppointment,
  requestableProviders,
  reschedulableAppointment,
  withdrawRequest,
} from '#actions/portal/ask_for_appointment'
import { askForAppointmentValidator, requestMessages } from '#validators/appointment_request'
import { fieldError } from '#validators/field_error'
import { auditPortal } from '#services/audit'
import { actorOf } from '#services/request_actor'
import { DAY_PARTS, REQUEST_NOTE_MAX, WEEKDAYS } from '#support/request_preferences'

/** At most this many requests on the list: the newest. */
const LISTED = 30

const rescheduleQueryValidator = vine.create({
  appointment: vine.number().withoutDecimals().positive().max(Number.MAX_SAFE_INTEGER).optional(),
})

/*
| The client's appointment requests (issue #19, item 3): the list with each
| request's state, the form to ask for an appointment or to move one, and
| withdrawing. Only through the PortalContext; the routes exist only while
| the practice lets clients schedule (clientScheduling middleware).
*/
export default class AppointmentRequestsController {
  async index(ctx: HttpContext) {
    const { view, portal } = ctx
    const requests = await portal
      .query('appointmentRequests')
      .select('appointment_requests.*')
      .select('portal_provider_names.name as provider_name')
      .leftJoin('portal_provider_names', 'portal_provider_names.id', 'appointment_requests.provider_id')
      .withScopes((scopes) => scopes.newestFirst())
      .limit(LISTED)

    // The appointments the requests name (the one to move, the one booked), with their details.
    const ids = [...new Set(requests.flatMap((request) => [request.appointmentId, request.bookedAppointmentId]))].filter(
      (id): id is number => id !== null
    )
    const appointments: Appointment[] = ids.length
      ? await portal.query('appointments').whereIn('appointments.id', ids).withScopes((scopes) => scopes.withPortalDetails())
      : []
    const byId = new Map(appointments.map((appointment) => [appointment.id, appointment]))

    await auditPortal(ctx, 'portal.appointment_requests.viewed', { listed: requests.length })
    return view.render('pages/portal/appointment_requests/index', {
      requests: requests.map((request) => ({
        request,
        providerName: (request.$extras.provider_name as string | null) ?? null,
        appointment: request.appointmentId ? (byId.get(request.appointmentId) ?? null) : null,
        booked: request.bookedAppointmentId ? (byId.get(request.bookedAppointmentId) ?? null) : null,
      })),
      openCount: requests.filter((request) => request.isOpen).length,
    })
  }

  async create(ctx: HttpContext) {
    const { request, view, portal } = ctx
    const { appointment: appointmentId } = await request.validateUsing(rescheduleQueryValidator, { data: request.qs() })
    const appointment = appointmentId ? await reschedulableAppointment(portal, appointmentId) : null
    if (appointmentId && !appointment) return refuseUnknown(ctx, appointmentId)

    const providers = await requestableProviders(portal)
    await auditPortal(ctx, 'portal.appointment_request_form.viewed', { appointmentId: appointment?.id ?? null })
    return view.render('pages/portal/appointment_requests/create', {
      appointment,
      providers,
      weekdays: WEEKDAYS,
      dayParts: DAY_PARTS,
      noteMax: REQUEST_NOTE_MAX,
    })
  }

  async store(ctx: HttpContext) {
    const { request, response, session, portal, i18n } = ctx
    const input = await request.validateUsing(askForAppointmentValidator, { messagesProvider: requestMessages(ctx) })
    const outcome = await askForAppointment(portal, input, actorOf(ctx))

    if ('notFound' in outcome) return refuseUnknown(ctx, input.appointmentId!)
    if ('refused' in outcome) {
      session.flashAll()
      if (outcome.refused === 'provider') {
        session.flashValidationErrors(fieldError('providerId', i18n.t('requests.validation.messages.providerId.choice')))
      } else {
        session.flash('errors', { request: i18n.t(`requests.refused.${outcome.refused}`) })
      }
      return response.redirect().back()
    }
    session.flash('success', i18n.t('requests.sent'))
    return response.redirect().toRoute('portal.appointment_requests.index')
  }

  async withdraw(ctx: HttpContext) {
    const { params, response, session, portal, i18n } = ctx
    // Another client's or an unknown id: 404.
    await portal.query('appointmentRequests').where('appointment_requests.id', params.id).select('appointment_requests.id').firstOrFail()
    // Locked while still open (the withdraw policy only reaches open rows): a decision by
    // staff at the same moment waits, and one of the two wins cleanly.
    const open: AppointmentRequest | null = await portal
      .query('appointmentRequests')
      .where('appointment_requests.id', params.id)
      .withScopes((scopes) => scopes.open())
      .forUpdate()
      .first()
    const withdrawn = open ? await withdrawRequest(portal, open, actorOf(ctx)) : false
    session.flash(withdrawn ? 'success' : 'notice', i18n.t(withdrawn ? 'requests.withdrawn' : 'requests.not_open'))
    return response.redirect().toRoute('portal.appointment_requests.index')
  }
}

/** Another client's (or an unknown, or a past) appointment: the same 404 as any missing page, recorded. */
async function refuseUnknown(ctx: HttpContext, appointmentId: number): Promise<never> {
  await auditPortal(ctx, 'portal.access.refused', { route: ctx.route?.name ?? null, id: String(appointmentId) })
  throw new errors.E_ROUTE_NOT_FOUND([ctx.request.method(), ctx.request.url()])
}
