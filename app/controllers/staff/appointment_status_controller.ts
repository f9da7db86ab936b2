import type { HttpContext } from '@adonisjs/core/http'
import AppointmentPolicy from '#policies/appointment_policy'
import { visibleAppointmentOrFail } from '#controllers/staff/appointments_controller'
import { cancelAppointmentValidator, recordOutcomeValidator } from '#validators/appointment'
import { audit } from '#services/audit'

/*
| An appointment's status: cancelling (late or not) and recording what
| happened (completed, no-show). A state that does not allow the change
| (already cancelled, not started yet) is a calm message, not an error.
*/
export default class AppointmentStatusController {
  /**
   * Cancels. Less than 24 hours before the start (or after it) this is
   * recorded as a late cancellation, unless staff tick "not late" (the
   * practice cancelled, an emergency): the default follows the practice's
   * policy, the exception is a deliberate choice.
   */
  async cancel(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    const appointment = await visibleAppointmentOrFail(ctx, ctx.params.id)
    await bouncer.with(AppointmentPolicy).authorize('cancel', appointment)
    const toPage = () => response.redirect().toRoute('staff.appointments.show', { id: appointment.id })
    if (!appointment.mayBeCancelled) {
      session.flash('notice', `This appointment is already ${appointment.staffStatusLabel.toLowerCase()}, so nothing was changed.`)
      return toPage()
    }

    const { notLate } = await request.validateUsing(cancelAppointmentValidator)
    const late = appointment.isLateCancellation() && !notLate
    const from = appointment.status
    await appointment.cancel({ late })
    await audit(ctx, {
      action: 'staff.appointment.cancelled',
      actorKind: 'staff',
      actorId: ctx.auth.use('staff').getUserOrFail().id,
      clientId: appointment.clientId,
      detail: { appointmentId: appointment.id, from, to: appointment.status },
    })
    session.flash(
      'success',
      late ? 'The appointment is cancelled and recorded as a late cancellation.' : 'The appointment is cancelled.'
    )
    return toPage()
  }

  /** Completed or no-show, once the appointment has started; one may correct the other. */
  async update(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    const appointment = await visibleAppointmentOrFail(ctx, ctx.params.id)
    await bouncer.with(AppointmentPolicy).authorize('recordOutcome', appointment)
    const toPage = () => response.redirect().toRoute('staff.appointments.show', { id: appointment.id })
    if (!appointment.mayRecordOutcome) {
      session.flash(
        'notice',
        appointment.hasStarted
          ? `This appointment is ${appointment.staffStatusLabel.toLowerCase()}, so nothing was changed.`
          : 'This appointment has not started yet. It can be marked completed or no-show once it has.'
      )
      return toPage()
    }

    const { status } = await request.validateUsing(recordOutcomeValidator)
    if (status === appointment.status) {
      session.flash('notice', 'Nothing was changed.')
      return toPage()
    }
    const from = appointment.status
    await appointment.recordOutcome(status)
    await audit(ctx, {
      action: 'staff.appointment.status_changed',
      actorKind: 'staff',
      actorId: ctx.auth.use('staff').getUserOrFail().id,
      clientId: appointment.clientId,
      detail: { appointmentId: appointment.id, from, to: status },
    })
    session.flash('success', `The appointment is marked ${appointment.staffStatusLabel.toLowerCase()}.`)
    return toPage()
  }
}
