import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import Appointment from '#models/appointment'
import AppointmentPolicy from '#policies/appointment_policy'
import { appointmentListValidator, createAppointmentValidator } from '#validators/appointment'
import { fieldError, firstErrorOfEachField } from '#validators/field_error'
import { parsePracticeDay, practiceDaysToUtc } from '#support/audit_range'
import { BookingClash } from '#exceptions/booking_clash'
import { actorOf } from '#services/request_actor'
import { bookAppointment } from '#actions/appointments/book_appointment'
import { clinicianChoices } from '#pages/staff/choices'
import { bookingChoices } from '#pages/staff/booking_form'
import { pickerState } from '#pages/staff/client_picker'
import { bookingPrefill } from '#pages/staff/calendar'
import { renderAppointmentPage } from '#pages/staff/appointment_page'
import { listDays, textOf, weekLinks, withoutBlanks } from '#pages/staff/appointment_list'
import { RequestNotOpen, RequestOfAnotherClient } from '#actions/requests/decide_request'
import { bookedRequestValidator, requestToBook } from '#pages/staff/request_booking'
import { sortHeaders } from '#pages/staff/sorting'

const PER_PAGE = 50

/*
| The staff Appointments area: the list by date range and provider, booking,
| and the appointment's page. Rescheduling lives in
| AppointmentReschedulesController, cancelling and outcomes in
| AppointmentStatusController, the note in SessionNotesController. Every
| lookup goes through Appointment.visibleTo(staff); the policy then checks again.
*/
export default class AppointmentsController {
  async index({ request, response, bouncer, view, htmx, auth }: HttpContext) {
    await bouncer.with(AppointmentPolicy).authorize('viewAny')
    const staff = auth.use('staff').getUserOrFail()
    const page = {
      providerOptions: await clinicianChoices([{ value: '', label: 'Any clinician' }]),
      mayManageTypes: await bouncer.with(AppointmentPolicy).allows('manageTypes'),
    }

    const [error, filters] = await request.tryValidateUsing(appointmentListValidator, { data: request.qs() })
    if (error) {
      response.status(422)
      return view.render('pages/staff/appointments/index', {
        ...page,
        chosen: { from: textOf(request.qs().from), to: textOf(request.qs().to), provider: '' },
        filterErrors: firstErrorOfEachField(error),
        appointments: null,
        range: null,
        weeks: null,
      })
    }

    const days = listDays(filters)
    const { start, end } = practiceDaysToUtc(days)
    const { sort = 'when', dir = 'asc' } = filters
    const appointments = await Appointment.query()
      .withScopes((scopes) => {
        scopes.visibleTo(staff)
        scopes.startingBetween(start, end)
        if (filters.provider) scopes.providedBy(filters.provider)
        if (filters.sort) scopes.sortedBy(sort, dir)
        else scopes.chronological()
        scopes.withListDetails()
      })
      .paginate(filters.page ?? 1, PER_PAGE)
    const order = filters.sort ? { sort, dir } : { sort: '', dir: '' }
    const chosen = { ...days, provider: filters.provider ? String(filters.provider) : '' }
    appointments.baseUrl(urlFor('staff.appointments.index')).queryString(withoutBlanks({ ...chosen, ...order }))

    const data = {
      ...page,
      chosen: { ...chosen, ...order },
      filterErrors: {},
      appointments,
      range: { first: parsePracticeDay(days.from)!, last: parsePracticeDay(days.to)! },
      weeks: weekLinks(days.from, chosen.provider, order),
      headers: sortHeaders(
        urlFor('staff.appointments.index'),
        chosen,
        [
          { key: 'when', label: 'When' },
          { key: 'client', label: 'Client' },
          { key: 'clinician', label: 'Clinician' },
          { key: 'status', label: 'Status' },
        ],
        { sort, dir }
      ),
    }
    return view.render(`pages/staff/appointments/${htmx.partial ? '_list' : 'index'}`, data)
  }

  async create(ctx: HttpContext) {
    const { request, bouncer, view, auth } = ctx
    await bouncer.with(AppointmentPolicy).authorize('create')
    const staff = auth.use('staff').getUserOrFail()
    // Booking for a client's request (the inbox's Book): the request fills in what it can.
    const fromRequest = await requestToBook(staff, request.qs().request)
    // A free slot of the calendar links here with its clinician and time; a client's page with the client (ids only).
    const prefill = bookingPrefill(request.qs())
    return view.render('pages/staff/appointments/create', {
      ...(await bookingChoices()),
      fromRequest,
      picker: await pickerState(ctx, staff, 'booking', fromRequest?.clientId ?? request.qs().client),
      values: {
        providerId: fromRequest?.providerId ?? prefill.providerId ?? (staff.role === 'clinician' ? staff.id : ''),
        startsAt: prefill.startsAt ?? '',
        modality: fromRequest?.modality === 'video' ? 'telehealth' : 'in_person',
        requestId: fromRequest?.id ?? '',
        videoUrl: '',
      },
    })
  }

  async store(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    await bouncer.with(AppointmentPolicy).authorize('create')
    const staff = ctx.auth.use('staff').getUserOrFail()
    const { requestId } = await request.validateUsing(bookedRequestValidator)
    const backToForm = () =>
      response.redirect().toRoute('staff.appointments.create', {}, requestId ? { qs: { request: requestId } } : {})

    const [error, booking] = await request.tryValidateUsing(createAppointmentValidator, { meta: { staff } })
    if (error) {
      session.flashValidationErrors(error)
      return backToForm()
    }
    let appointment: Appointment
    try {
      // Booked for a client's request (the inbox's Book): the request is linked in the same transaction.
      appointment = await bookAppointment(booking, actorOf(ctx), { requestId })
    } catch (failure) {
      if (failure instanceof RequestNotOpen || failure instanceof RequestOfAnotherClient) {
        session.flash('notice', `${failure.message} Nothing was booked.`)
        return response.redirect().toRoute('staff.appointments.requests.index')
      }
      if (!(failure instanceof BookingClash)) throw failure
      session.flashValidationErrors(fieldError('startsAt', failure.message, 'booking'))
      return backToForm()
    }
    session.flash('success', 'The appointment is booked.')
    return response.redirect().toRoute('staff.appointments.show', { id: appointment.id })
  }

  async show(ctx: HttpContext) {
    const appointment = await Appointment.findVisibleOrFail(ctx.auth.use('staff').getUserOrFail(), ctx.params.id)
    await ctx.bouncer.with(AppointmentPolicy).authorize('view', appointment)
    return renderAppointmentPage(ctx, appointment)
  }
}
