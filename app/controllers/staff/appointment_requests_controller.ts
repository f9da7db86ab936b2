import type { HttpContext } from '@adonisjs/core/http'
import AppointmentRequest from '#models/appointment_request'
import Appointment from '#models/appointment'
import AppointmentPolicy from '#policies/appointment_policy'
import { declineRequest, RequestNotOpen } from '#actions/requests/decide_request'
import { declineRequestValidator, requestInboxValidator } from '#validators/appointment_request'
import { paginateInOneStatement } from '#services/pagination'
import { audit } from '#services/audit'
import { actorOf } from '#services/request_actor'

/** Open requests on one page of the inbox. */
const PER_PAGE = 50

/*
| The staff inbox of clients' appointment requests (issue #19, item 4):
| open ones, oldest first. ceo, admin and support staff see all; a
| clinician those that name her (AppointmentRequest.handledBy). *Book*
| opens the booking form (or, to move an appointment, its reschedule form)
| prefilled with the request; *Decline* takes a short message.
*/
export default class AppointmentRequestsController {
  async index(ctx: HttpContext) {
    const { view, bouncer, auth, request, response } = ctx
    await bouncer.with(AppointmentPolicy).authorize('viewAny')
    const staff = auth.use('staff').getUserOrFail()
    const [invalid, input] = await request.tryValidateUsing(requestInboxValidator, { data: request.qs() })
    // Not a page number: the first page, calmly.
    if (invalid) return response.redirect().toRoute('staff.appointments.requests.index')

    /*
    | A page at a time, oldest first (issue #25): 200 cards with their decline
    | forms took 60 ms of CPU to render; a practice works through the
    | oldest ones first anyway.
    */
    const requests = await paginateInOneStatement(
      AppointmentRequest.query()
        .select('appointment_requests.*')
        .withScopes((scopes) => {
          scopes.handledBy(staff)
          scopes.open()
          scopes.oldestFirst()
        })
        .preload('client')
        .preload('provider'),
      input.page ?? 1,
      PER_PAGE
    )
    requests.baseUrl('/appointments/requests')
    // The appointments reschedule requests would move, in one query.
    const moving = requests.all().map((item) => item.appointmentId).filter((id): id is number => id !== null)
    const appointments = moving.length ? await Appointment.query().whereIn('appointments.id', moving) : []
    for (const item of requests) {
      const appointment = appointments.find((candidate) => candidate.id === item.appointmentId)
      if (appointment) item.$setRelated('appointment' as never, appointment as never)
    }
    await audit(ctx, {
      action: 'staff.appointment_requests.viewed',
      actorKind: 'staff',
      actorId: staff.id,
      detail: { listed: requests.length, page: requests.currentPage },
    })
    return view.render('pages/staff/appointment_requests/index', { requests })
  }

  async decline(ctx: HttpContext) {
    const { request, response, session, bouncer, params } = ctx
    await bouncer.with(AppointmentPolicy).authorize('viewAny')
    const [error, input] = await request.tryValidateUsing(declineRequestValidator)
    if (error) {
      session.flashValidationErrors(error)
      return response.redirect().toRoute('staff.appointments.requests.index')
    }
    try {
      await declineRequest({ requestId: Number(params.id), message: input.message }, actorOf(ctx))
    } catch (failure) {
      if (!(failure instanceof RequestNotOpen)) throw failure
      session.flash('notice', failure.message)
      return response.redirect().toRoute('staff.appointments.requests.index')
    }
    session.flash('success', 'The request is declined. The client reads your message in the portal.')
    return response.redirect().toRoute('staff.appointments.requests.index')
  }
}
