import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import { errors as vineErrors } from '@vinejs/vine'
import type { DateTime } from 'luxon'
import Appointment, { OUTCOME_LABELS } from '#models/appointment'
import AppointmentType from '#models/appointment_type'
import Client from '#models/client'
import SessionNote from '#models/session_note'
import StaffUser from '#models/staff_user'
import AppointmentPolicy from '#policies/appointment_policy'
import {
  appointmentListValidator,
  createAppointmentValidator,
  MAX_NOTE_LENGTH,
  rescheduleAppointmentValidator,
} from '#validators/appointment'
import { parsePracticeDay, practiceDaysToUtc } from '#support/audit_range'
import { practiceNow } from '#support/practice_time'
import { audit } from '#services/audit'
import { doubleBookingMessage } from '#services/booking_clash'

const PER_PAGE = 50

/*
| The staff Appointments area: the list by date range and provider, booking,
| the appointment's page and rescheduling. Cancelling and outcomes live in
| AppointmentStatusController, the note in SessionNotesController.
| Every lookup goes through Appointment.visibleTo(staff), so a clinician
| asking for an appointment outside their caseload gets the same 404 as for
| one that does not exist; the policy then checks again.
*/
export default class AppointmentsController {
  async index(ctx: HttpContext) {
    const { request, response, bouncer, view, htmx } = ctx
    await bouncer.with(AppointmentPolicy).authorize('viewAny')
    const staff = ctx.auth.use('staff').getUserOrFail()
    const providerOptions = await providerChoices('Any clinician')
    const mayManageTypes = await bouncer.with(AppointmentPolicy).allows('manageTypes')

    const [error, filters] = await request.tryValidateUsing(appointmentListValidator, {
      data: request.qs(),
    })
    if (error) {
      response.status(422)
      return view.render('pages/staff/appointments/index', {
        providerOptions,
        mayManageTypes,
        chosen: { from: textOf(request.qs().from), to: textOf(request.qs().to), provider: '' },
        filterErrors: firstErrorOfEachField(error.messages),
        appointments: null,
        range: null,
        weeks: null,
      })
    }

    const days = listDays(filters)
    const { start, end } = practiceDaysToUtc(days)
    const appointments = await Appointment.query()
      .withScopes((scopes) => {
        scopes.visibleTo(staff)
        scopes.startingBetween(start, end)
        if (filters.provider) scopes.providedBy(filters.provider)
        scopes.chronological()
        scopes.withListDetails()
      })
      .paginate(filters.page ?? 1, PER_PAGE)
    const chosen = { ...days, provider: filters.provider ? String(filters.provider) : '' }
    appointments.baseUrl(urlFor('staff.appointments.index')).queryString(withoutBlanks(chosen))

    const data = {
      providerOptions,
      mayManageTypes,
      chosen,
      filterErrors: {},
      appointments,
      range: { first: parsePracticeDay(days.from)!, last: parsePracticeDay(days.to)! },
      weeks: weekLinks(days.from, chosen.provider),
    }
    if (htmx.partial) return view.render('pages/staff/appointments/_list', data)
    return view.render('pages/staff/appointments/index', data)
  }

  async create(ctx: HttpContext) {
    const { request, bouncer, view } = ctx
    await bouncer.with(AppointmentPolicy).authorize('create')
    const staff = ctx.auth.use('staff').getUserOrFail()
    // "Book for this client" links carry the client: then only that client is offered (with
    // a way to choose another), so a large practice's page does not list every client.
    const asked = Number(request.qs().client) || null
    const bookable = () =>
      Client.query()
        .withScopes((scopes) => {
          scopes.visibleTo(staff)
          scopes.withStatus('active')
          scopes.alphabetical()
        })
        .withScopes((scopes) => scopes.asChoice())
    const askedFor = asked ? await bookable().where('clients.id', asked) : []
    const clients = askedFor.length ? askedFor : await bookable()
    const preselected = askedFor.length ? askedFor[0].id : ''

    return view.render('pages/staff/appointments/create', {
      ...(await bookingOptions()),
      oneClientOnly: askedFor.length > 0,
      clientOptions: [
        { value: '', label: 'Choose a client' },
        ...clients.map((client) => ({
          value: client.id,
          label: client.choiceLabel,
        })),
      ],
      values: {
        clientId: preselected,
        providerId: staff.role === 'clinician' ? staff.id : '',
        modality: 'in_person',
      },
    })
  }

  async store(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    await bouncer.with(AppointmentPolicy).authorize('create')
    const staff = ctx.auth.use('staff').getUserOrFail()
    const backToForm = () => response.redirect().toRoute('staff.appointments.create')

    const [error, booking] = await request.tryValidateUsing(createAppointmentValidator, {
      meta: { staff },
    })
    if (error) {
      session.flashValidationErrors(error)
      return backToForm()
    }

    const times = await bookedTimes(booking)
    let appointment: Appointment
    try {
      appointment = await Appointment.create({
        clientId: booking.clientId,
        providerId: booking.providerId,
        appointmentTypeId: booking.appointmentTypeId,
        ...times,
        ...place(booking),
        status: 'scheduled',
      })
    } catch (failure) {
      if (!Appointment.isDoubleBookingError(failure)) throw failure
      session.flashValidationErrors(
        fieldProblem('startsAt', await doubleBookingMessage({ providerId: booking.providerId, ...times }))
      )
      return backToForm()
    }

    await audit(ctx, {
      action: 'staff.appointment.created',
      actorKind: 'staff',
      actorId: staff.id,
      clientId: appointment.clientId,
      detail: { appointmentId: appointment.id, providerId: appointment.providerId, status: appointment.status },
    })
    session.flash('success', 'The appointment is booked.')
    return response.redirect().toRoute('staff.appointments.show', { id: appointment.id })
  }

  async show(ctx: HttpContext) {
    const appointment = await visibleAppointmentOrFail(ctx, ctx.params.id)
    await ctx.bouncer.with(AppointmentPolicy).authorize('view', appointment)
    return renderAppointmentPage(ctx, appointment)
  }

  async edit(ctx: HttpContext) {
    const { bouncer, view, response, session } = ctx
    const appointment = await visibleAppointmentOrFail(ctx, ctx.params.id)
    await bouncer.with(AppointmentPolicy).authorize('update', appointment)
    const refusal = appointment.changeRefusal
    if (refusal) {
      session.flash('notice', refusal)
      return response.redirect().toRoute('staff.appointments.show', { id: appointment.id })
    }
    const hasNote = (await SessionNote.authorIdFor(appointment.id)) !== null

    return view.render('pages/staff/appointments/edit', {
      appointment,
      ...(await bookingOptions(appointment)),
      providerLocked: hasNote,
      values: {
        providerId: appointment.providerId,
        appointmentTypeId: appointment.appointmentTypeId,
        startsAt: appointment.startsAtInputValue,
        endsAt: appointment.endsAtInputValue,
        modality: appointment.isTelehealth ? 'telehealth' : 'in_person',
        location: appointment.location ?? '',
      },
    })
  }

  /** Reschedule: time, provider, type and place. */
  async update(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    const staff = ctx.auth.use('staff').getUserOrFail()
    // Load first: an appointment outside the caseload is a 404 whatever the form holds.
    const appointment = await visibleAppointmentOrFail(ctx, ctx.params.id)
    await bouncer.with(AppointmentPolicy).authorize('update', appointment)
    const toPage = () => response.redirect().toRoute('staff.appointments.show', { id: appointment.id })
    const backToForm = () => response.redirect().toRoute('staff.appointments.edit', { id: appointment.id })
    // A past or cancelled appointment stays as it is, whatever the form holds.
    const refusal = appointment.changeRefusal
    if (refusal) {
      session.flash('notice', refusal)
      return toPage()
    }

    const [error, booking] = await request.tryValidateUsing(rescheduleAppointmentValidator, {
      meta: {
        staff,
        currentProviderId: appointment.providerId,
        currentTypeId: appointment.appointmentTypeId,
      },
    })
    if (error) {
      session.flashValidationErrors(error)
      return backToForm()
    }
    // The note belongs to whoever wrote it: a new provider would not be able to read it.
    if (booking.providerId !== appointment.providerId && (await SessionNote.authorIdFor(appointment.id)) !== null) {
      session.flashValidationErrors(
        fieldProblem('providerId', 'This appointment has a session note, so its clinician stays the same. To change the clinician, cancel it and book a new appointment.')
      )
      return backToForm()
    }

    appointment.merge({
      providerId: booking.providerId,
      appointmentTypeId: booking.appointmentTypeId,
      ...(await bookedTimes(booking)),
      ...place(booking),
    })
    // A time read back from the database is another DateTime object: compare instants.
    for (const column of ['startsAt', 'endsAt'] as const) {
      if (appointment.$original[column]?.toMillis() === appointment[column].toMillis()) {
        appointment[column] = appointment.$original[column]
      }
    }
    if (!appointment.$isDirty) {
      session.flash('notice', 'Nothing was changed.')
      return toPage()
    }

    try {
      await appointment.save()
    } catch (failure) {
      if (!Appointment.isDoubleBookingError(failure)) throw failure
      session.flashValidationErrors(
        fieldProblem(
          'startsAt',
          await doubleBookingMessage({
            providerId: appointment.providerId,
            startsAt: appointment.startsAt,
            endsAt: appointment.endsAt,
            appointmentId: appointment.id,
          })
        )
      )
      return backToForm()
    }
    await audit(ctx, {
      action: 'staff.appointment.rescheduled',
      actorKind: 'staff',
      actorId: staff.id,
      clientId: appointment.clientId,
      detail: { appointmentId: appointment.id, providerId: appointment.providerId },
    })
    session.flash('success', 'The appointment is rescheduled.')
    return toPage()
  }
}

/** An appointment this staff member may see, with its client, provider and type; else 404. */
export function visibleAppointmentOrFail(ctx: HttpContext, id: string | number) {
  const staff = ctx.auth.use('staff').getUserOrFail()
  return Appointment.query()
    .withScopes((scopes) => {
      scopes.visibleTo(staff)
      scopes.withListDetails()
    })
    .where('appointments.id', id)
    .firstOrFail()
}

/** What the note form shows after a refused save: the text as typed, and why. */
export interface NoteDraft {
  body: string
  error: string
}

/**
 * The appointment's page. Only its provider (who wrote the note, if there
 * is one) gets the note's text, and each read is audited; everyone else
 * learns only whether a note exists. `draft` re-shows a refused note
 * without sending its text through the session.
 */
export async function renderAppointmentPage(ctx: HttpContext, appointment: Appointment, draft?: NoteDraft) {
  const { bouncer, view } = ctx
  const policy = bouncer.with(AppointmentPolicy)
  const noteAuthorId = await SessionNote.authorIdFor(appointment.id)
  const mayUseNote = await policy.allows('useSessionNote', appointment, noteAuthorId)

  let note: SessionNote | null = null
  if (mayUseNote && noteAuthorId !== null && !draft) {
    note = await SessionNote.query()
      .withScopes((scopes) => scopes.forAppointment(appointment.id))
      .firstOrFail()
    await audit(ctx, {
      action: 'staff.session_note.viewed',
      actorKind: 'staff',
      actorId: ctx.auth.use('staff').getUserOrFail().id,
      clientId: appointment.clientId,
      detail: { appointmentId: appointment.id },
    })
  }

  return view.render('pages/staff/appointments/show', {
    appointment,
    mayReschedule: appointment.mayBeRescheduled && (await policy.allows('update', appointment)),
    mayCancel: appointment.mayBeCancelled && (await policy.allows('cancel', appointment)),
    mayRecordOutcome: appointment.mayRecordOutcome && (await policy.allows('recordOutcome', appointment)),
    cancellingIsLate: appointment.isLateCancellation(),
    outcomeLabels: OUTCOME_LABELS,
    noteExists: noteAuthorId !== null,
    mayUseNote,
    note,
    draft: draft ?? null,
    maxNoteLength: MAX_NOTE_LENGTH,
  })
}

/** The chosen days, each end filled in: by default this week (Monday to Sunday) in the practice. */
function listDays(filters: { from?: string; to?: string }) {
  const from = filters.from ?? practiceNow().startOf('week').toISODate()!
  const to = filters.to ?? parsePracticeDay(from)!.plus({ days: 6 }).toISODate()!
  return { from, to }
}

/** Links to the week before and after the shown range, and to this week. */
function weekLinks(from: string, provider: string) {
  const first = parsePracticeDay(from)!
  const thisWeek = practiceNow().startOf('week')
  const link = (start: DateTime) =>
    urlFor('staff.appointments.index', undefined, {
      qs: withoutBlanks({ from: start.toISODate()!, to: start.plus({ days: 6 }).toISODate()!, provider }),
    })
  return {
    previous: link(first.minus({ weeks: 1 })),
    next: link(first.plus({ weeks: 1 })),
    current: link(thisWeek),
  }
}

/** A query string value shown back in its field: one short string or nothing. */
function textOf(value: unknown) {
  return typeof value === 'string' ? value.slice(0, 20) : ''
}

function withoutBlanks(values: Record<string, string>) {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''))
}

/** Active clinicians by name, plus the appointment's own provider if they have left. */
async function providerChoices(emptyLabel: string, current?: StaffUser) {
  const clinicians = await StaffUser.query()
    .withScopes((scopes) => scopes.clinicians())
    .orderBy('name', 'asc')
  if (current && !clinicians.some((clinician) => clinician.id === current.id)) clinicians.push(current)
  return [
    { value: '', label: emptyLabel },
    ...clinicians.map((clinician) => ({
      value: clinician.id,
      label: clinician.isActive && clinician.role === 'clinician' ? clinician.name : `${clinician.name} (no longer active)`,
    })),
  ]
}

/** Providers, types and places for the booking and reschedule forms. */
async function bookingOptions(appointment?: Appointment) {
  const types = await AppointmentType.query().withScopes((scopes) => {
    scopes.active()
    scopes.alphabetical()
  })
  const current = appointment?.appointmentType
  if (current && !types.some((type) => type.id === current.id)) types.push(current)
  return {
    providerOptions: await providerChoices('Choose a clinician', appointment?.provider),
    typeOptions: [
      { value: '', label: 'Choose a type' },
      ...types.map((type) => ({
        value: type.id,
        label: `${type.name}, ${type.defaultMinutes} minutes${type.isTelehealth ? ', telehealth' : ''}${type.isActive ? '' : ' (no longer offered)'}`,
      })),
    ],
    modalityOptions: [
      { value: 'in_person', label: 'In person' },
      { value: 'telehealth', label: 'Telehealth (video)' },
    ],
  }
}

/** Start and end; without an end, the type's usual length. */
async function bookedTimes(booking: { startsAt: DateTime; endsAt?: DateTime; appointmentTypeId: number }) {
  if (booking.endsAt) return { startsAt: booking.startsAt, endsAt: booking.endsAt }
  const type = await AppointmentType.findOrFail(booking.appointmentTypeId)
  return { startsAt: booking.startsAt, endsAt: booking.startsAt.plus({ minutes: type.defaultMinutes }) }
}

function place(booking: { modality: 'in_person' | 'telehealth'; location?: string }) {
  return { isTelehealth: booking.modality === 'telehealth', location: booking.location || null }
}

function fieldProblem(field: string, message: string) {
  return new vineErrors.E_VALIDATION_ERROR([{ field, message, rule: 'booking' }])
}

/** The first problem of each field, for the message next to it. */
function firstErrorOfEachField(messages: unknown) {
  const byField: Record<string, string> = {}
  for (const { field, message } of messages as { field: string; message: string }[]) {
    byField[field] ??= message
  }
  return byField
}
