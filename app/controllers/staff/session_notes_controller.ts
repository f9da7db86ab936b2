import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import Appointment from '#models/appointment'
import SessionNote from '#models/session_note'
import AppointmentPolicy from '#policies/appointment_policy'
import { renderAppointmentPage } from '#pages/staff/appointment_page'
import { sessionNoteValidator } from '#validators/appointment'
import { audit } from '#services/audit'

/*
| The session note of an appointment: one per appointment, written and read
| by its provider only (not ceo or admin: clinical content). Its text goes
| to the database and to the provider's page, nowhere else: never into the
| session (a refused note is shown again directly), a log, an audit detail
| or a mail.
*/
export default class SessionNotesController {
  /** Creates the note or replaces its text. */
  async store(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    const staff = ctx.auth.use('staff').getUserOrFail()
    const appointment = await Appointment.findVisibleOrFail(staff, ctx.params.id)
    await bouncer
      .with(AppointmentPolicy)
      .authorize('useSessionNote', appointment, await SessionNote.authorIdFor(appointment.id))

    const [error, note] = await request.tryValidateUsing(sessionNoteValidator)
    if (error) {
      const typed = request.input('body')
      response.status(422)
      return renderAppointmentPage(ctx, appointment, {
        body: typeof typed === 'string' ? typed : '',
        error: (error.messages as { message: string }[])[0]?.message ?? 'Please check the note.',
      })
    }

    await SessionNote.write(appointment.id, staff.id, note.body)
    await audit(ctx, {
      action: 'staff.session_note.written',
      actorKind: 'staff',
      actorId: staff.id,
      clientId: appointment.clientId,
      detail: { appointmentId: appointment.id },
    })
    session.flash('success', 'The session note is saved.')
    return response
      .redirect()
      .toPath(`${urlFor('staff.appointments.show', { id: appointment.id })}#session-note`)
  }
}
