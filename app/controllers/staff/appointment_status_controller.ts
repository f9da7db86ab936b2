import type { HttpContext } from '@adonisjs/core/http'
import Appointment, { OUTCOME_LABELS } from '#models/appointment'
import AppointmentPolicy from '#policies/appointment_policy'
import { cancelAppointmentValidator, recordOutcomeValidator } from '#validators/appointment'
import { auditStaffOrOperator } from '#services/audit'
import { actorOf } from '#services/request_actor'
import { cancelAppointment } from '#actions/appointments/cancel_appointment'

/*
| An appointment's status: cancelling (late or not) a session still to
| come, and recording what happened (attended, missed) once it has started.
| A state that does not allow the change (already cancelled, started, not
| started yet) is a calm message, not an error.
*/
export default class AppointmentStatusController {
  /**
   * Cancels a session still to come. Inside the practice's cancellation window
   * (Portal Settings) this is recorded as a late cancellation, unless staff tick "not late" (the
   * practice cancelled, an emergency): the default follows the practice's
   * policy, the exception is a deliberate choice.
   */
  async cancel(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    const appointment = await Appointment.findVisibleOrFail(ctx.auth.use('staff').getUserOrFail(), ctx.params.id)
    await bouncer.with(AppointmentPolicy).authorize('cancel', appointment)
    const toPage = () => response.redirect().toRoute('staff.appointments.show', { id: appointment.id })
    // A past appointment takes an outcome instead; a cancelled one stays cancelled.
    const refusal = appointment.changeRefusal
    if (refusal) {
      session.flash('notice', refusal)
      return toPage()
    }

    const { notLate } = await request.validateUsing(cancelAppointmentValidator)
    // Tells the client and withdraws a reminder not sent yet, in the cancellation's transaction.
    const result = await cancelAppointment({ appointmentId: appointment.id, notLate: notLate === true }, actorOf(ctx))
    if (result.outcome === 'refused') {
      session.flash('notice', result.reason)
      return toPage()
    }
    session.flash(
      'success',
      result.late ? 'The appointment is cancelled and recorded as a late cancellation.' : 'The appointment is cancelled.'
    )
    return toPage()
  }

  /** Attended or missed, once the appointment has started; one may correct the other. */
  async update(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    const appointment = await Appointment.findVisibleOrFail(ctx.auth.use('staff').getUserOrFail(), ctx.params.id)
    await bouncer.with(AppointmentPolicy).authorize('recordOutcome', appointment)
    const toPage = () => response.redirect().toRoute('staff.appointments.show', { id: appointment.id })
    if (!appointment.mayRecordOutcome) {
      session.flash(
        'notice',
        appointment.hasStarted
          ? 'This appointment is cancelled, so there is no attendance to record.'
          : 'This appointment has not started yet. It can be marked attended or missed once it has.'
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
    await auditStaffOrOperator(actorOf(ctx), 'appointment.status_changed', {
      clientId: appointment.clientId,
      detail: { appointmentId: appointment.id, from, to: status },
    })
    session.flash('success', `The appointment is marked ${OUTCOME_LABELS[status].toLowerCase()}.`)
    return toPage()
  }
}
