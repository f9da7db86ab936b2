import type { HttpContext } from '@adonisjs/core/http'
import Appointment from '#models/appointment'
import SessionNote from '#models/session_note'
import ClientPreference from '#models/client_preference'
import AppointmentPolicy from '#policies/appointment_policy'
import { rescheduleAppointmentValidator } from '#validators/appointment'
import { fieldError } from '#validators/field_error'
import { BookingClash } from '#exceptions/booking_clash'
import { actorOf } from '#services/request_actor'
import { rescheduleAppointment } from '#actions/appointments/reschedule_appointment'
import { bookingChoices } from '#pages/staff/booking_form'
import { RequestNotOpen, RequestOfAnotherClient } from '#actions/requests/decide_request'
import { bookedRequestValidator, requestToBook } from '#pages/staff/request_booking'

/*
| Rescheduling an appointment: its time, provider, type and place. Only a
| session still to come moves (Appointment.changeRefusal says why not);
| the database refuses a double booking (Appointment.reschedule).
*/
export default class AppointmentReschedulesController {
  async edit({ params, bouncer, view, response, session, auth, request }: HttpContext) {
    const staff = auth.use('staff').getUserOrFail()
    const appointment = await Appointment.findVisibleOrFail(staff, params.id)
    await bouncer.with(AppointmentPolicy).authorize('update', appointment)
    if (appointment.changeRefusal) {
      session.flash('notice', appointment.changeRefusal)
      return response.redirect().toRoute('staff.appointments.show', { id: appointment.id })
    }
    // Moving it for the client's request (the inbox's Book): that request, if it is this appointment's.
    const asked = await requestToBook(staff, request.qs().request)
    const fromRequest = asked?.appointmentId === appointment.id ? asked : null
    return view.render('pages/staff/appointments/edit', {
      appointment,
      contactRules: await ClientPreference.contactRulesOf(appointment.clientId),
      fromRequest,
      ...(await bookingChoices(appointment)),
      providerLocked: (await SessionNote.authorIdFor(appointment.id)) !== null,
      values: {
        providerId: appointment.providerId,
        appointmentTypeId: appointment.appointmentTypeId,
        startsAt: appointment.startsAtInputValue,
        endsAt: appointment.endsAtInputValue,
        modality: appointment.isTelehealth ? 'telehealth' : 'in_person',
        location: appointment.location ?? '',
        videoUrl: appointment.videoUrl ?? '',
        requestId: fromRequest?.id ?? '',
      },
    })
  }

  /** Reschedule: time, provider, type and place. */
  async update(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    const staff = ctx.auth.use('staff').getUserOrFail()
    // Load first: an appointment outside the caseload is a 404 whatever the form holds.
    const appointment = await Appointment.findVisibleOrFail(staff, ctx.params.id)
    await bouncer.with(AppointmentPolicy).authorize('update', appointment)
    const { requestId } = await request.validateUsing(bookedRequestValidator)
    const toPage = () => response.redirect().toRoute('staff.appointments.show', { id: appointment.id })
    const backToForm = (problem: ReturnType<typeof fieldError>) => {
      session.flashValidationErrors(problem)
      return response.redirect().toRoute('staff.appointments.edit', { id: appointment.id }, requestId ? { qs: { request: requestId } } : {})
    }
    // A past or cancelled appointment stays as it is, whatever the form holds.
    if (appointment.changeRefusal) {
      session.flash('notice', appointment.changeRefusal)
      return toPage()
    }

    const [error, booking] = await request.tryValidateUsing(rescheduleAppointmentValidator, {
      meta: { staff, currentProviderId: appointment.providerId, currentTypeId: appointment.appointmentTypeId },
    })
    if (error) return backToForm(error)
    // The note belongs to whoever wrote it: a new provider would not be able to read it.
    if (booking.providerId !== appointment.providerId && (await SessionNote.authorIdFor(appointment.id)) !== null) {
      return backToForm(fieldError('providerId', 'This appointment has a session note, so its clinician stays the same. To change the clinician, cancel it and book a new appointment.', 'booking'))
    }
    let result: Awaited<ReturnType<typeof rescheduleAppointment>>
    try {
      // Moved for a client's request (the inbox's Book): the request is linked in the same transaction.
      result = await rescheduleAppointment({ appointmentId: appointment.id, details: booking, requestId }, actorOf(ctx))
    } catch (failure) {
      if (failure instanceof RequestNotOpen || failure instanceof RequestOfAnotherClient) {
        session.flash('notice', `${failure.message} Nothing was changed.`)
        return response.redirect().toRoute('staff.appointments.requests.index')
      }
      if (!(failure instanceof BookingClash)) throw failure
      return backToForm(fieldError('startsAt', failure.message, 'booking'))
    }
    if (result.outcome !== 'rescheduled') {
      session.flash('notice', result.outcome === 'refused' ? result.reason : 'Nothing was changed.')
      return toPage()
    }
    session.flash('success', 'The appointment is rescheduled.')
    return toPage()
  }
}
