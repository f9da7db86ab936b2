import type { HttpContext } from '@adonisjs/core/http'
import AppointmentType from '#models/appointment_type'
import AppointmentPolicy from '#policies/appointment_policy'
import { appointmentTypeValidator } from '#validators/appointment'
import { fieldError } from '#validators/field_error'
import { audit } from '#services/audit'

/*
| Appointment types (ceo and admin): the practice's services, their usual
| length and whether they are held by video. A type is deactivated, never
| deleted: its past appointments keep it, new bookings no longer offer it.
*/
export default class AppointmentTypesController {
  async index({ bouncer, view }: HttpContext) {
    await bouncer.with(AppointmentPolicy).authorize('manageTypes')
    const types = await AppointmentType.query().withScopes((scopes) => scopes.alphabetical())
    return view.render('pages/staff/appointments/types/index', { types })
  }

  async store(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    await bouncer.with(AppointmentPolicy).authorize('manageTypes')
    const backToList = () => response.redirect().toRoute('staff.appointments.types.index')
    const [error, details] = await request.tryValidateUsing(appointmentTypeValidator, { meta: {} })
    if (error) {
      session.flashValidationErrors(error)
      return backToList()
    }

    let type: AppointmentType
    try {
      type = await AppointmentType.create({
        name: details.name,
        defaultMinutes: details.defaultMinutes,
        isTelehealth: details.isTelehealth ?? false,
        isActive: true,
      })
    } catch (failure) {
      // Another person added the same name a moment ago.
      if (!AppointmentType.isDuplicateNameError(failure)) throw failure
      session.flashValidationErrors(duplicateName())
      return backToList()
    }
    await auditType(ctx, 'staff.appointment_type.created', type)
    session.flash('success', `The type “${type.name}” is added.`)
    return backToList()
  }

  async edit({ params, bouncer, view }: HttpContext) {
    await bouncer.with(AppointmentPolicy).authorize('manageTypes')
    const type = await AppointmentType.findOrFail(params.id)
    return view.render('pages/staff/appointments/types/edit', { type })
  }

  /** Name, usual length and telehealth flag. */
  async update(ctx: HttpContext) {
    const { params, request, response, bouncer, session } = ctx
    await bouncer.with(AppointmentPolicy).authorize('manageTypes')
    const type = await AppointmentType.findOrFail(params.id)
    const backToForm = () => response.redirect().toRoute('staff.appointments.types.edit', { id: type.id })
    const [error, details] = await request.tryValidateUsing(appointmentTypeValidator, {
      meta: { typeId: type.id },
    })
    if (error) {
      session.flashValidationErrors(error)
      return backToForm()
    }

    type.merge({
      name: details.name,
      defaultMinutes: details.defaultMinutes,
      isTelehealth: details.isTelehealth ?? false,
    })
    if (type.$isDirty) {
      try {
        await type.save()
      } catch (failure) {
        if (!AppointmentType.isDuplicateNameError(failure)) throw failure
        session.flashValidationErrors(duplicateName())
        return backToForm()
      }
      await auditType(ctx, 'staff.appointment_type.updated', type)
    }
    session.flash('success', `The type “${type.name}” is saved.`)
    return response.redirect().toRoute('staff.appointments.types.index')
  }

  async deactivate(ctx: HttpContext) {
    return setActive(ctx, false)
  }

  async activate(ctx: HttpContext) {
    return setActive(ctx, true)
  }
}

async function setActive(ctx: HttpContext, isActive: boolean) {
  const { params, response, bouncer, session } = ctx
  await bouncer.with(AppointmentPolicy).authorize('manageTypes')
  const type = await AppointmentType.findOrFail(params.id)
  if (type.isActive !== isActive) {
    type.isActive = isActive
    await type.save()
    await auditType(ctx, isActive ? 'staff.appointment_type.activated' : 'staff.appointment_type.deactivated', type)
  }
  session.flash(
    'success',
    isActive
      ? `“${type.name}” is offered for new appointments again.`
      : `“${type.name}” is no longer offered for new appointments. Appointments already booked keep it.`
  )
  return response.redirect().toRoute('staff.appointments.types.index')
}

function duplicateName() {
  return fieldError('name', 'There is already a type with this name. Please choose another name.', 'database.unique')
}

function auditType(ctx: HttpContext, action: string, type: AppointmentType) {
  return audit(ctx, {
    action,
    actorKind: 'staff',
    actorId: ctx.auth.use('staff').getUserOrFail().id,
    detail: { appointmentTypeId: type.id },
  })
}
