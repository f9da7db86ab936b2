import { BasePolicy } from '@adonisjs/bouncer'
import type StaffUser from '#models/staff_user'
import type Appointment from '#models/appointment'
import Client, { ALL_CLIENTS_ROLES } from '#models/client'
import { mayOpen } from '#abilities/areas'

/*
| Who may do what with appointments, their types and session notes (DESIGN §2).
| - ceo, admin, support staff: every appointment.
| - clinician: appointments they provide, and those of clients in their
|   caseload (Client.visibleTo). Controllers load appointments through
|   Appointment.visibleTo(staff) first, so any other is a 404 for them; the
|   checks here are the second line.
| - appointment types: ceo and admin (they shape the practice's services).
| - session notes: the appointment's provider only, and only a note they
|   wrote themselves — not ceo, not admin (clinical content).
| Whether an appointment's *state* allows a change (already cancelled, not
| started yet) is the model's business (mayBeCancelled, mayRecordOutcome…),
| answered with a calm message rather than a 403.
*/
export default class AppointmentPolicy extends BasePolicy {
  viewAny(staff: StaffUser) {
    return mayOpen(staff, 'appointments')
  }

  async view(staff: StaffUser, appointment: Appointment) {
    if (!mayOpen(staff, 'appointments')) return false
    if (ALL_CLIENTS_ROLES.includes(staff.role)) return true
    if (staff.role !== 'clinician') return false
    if (appointment.providerId === staff.id) return true
    const client = await Client.find(appointment.clientId)
    return client !== null && (await client.isVisibleTo(staff))
  }

  /** Booking; the validator checks the client is in the caseload. */
  create(staff: StaffUser) {
    return mayOpen(staff, 'appointments')
  }

  /** Reschedule: time, provider, type, place. */
  update(staff: StaffUser, appointment: Appointment) {
    return this.view(staff, appointment)
  }

  cancel(staff: StaffUser, appointment: Appointment) {
    return this.view(staff, appointment)
  }

  /** Putting the client on the waitlist for an earlier time (issue #22): as rescheduling. */
  offerEarlierTime(staff: StaffUser, appointment: Appointment) {
    return this.update(staff, appointment)
  }

  /** Attended or missed. */
  recordOutcome(staff: StaffUser, appointment: Appointment) {
    return this.view(staff, appointment)
  }

  manageTypes(staff: StaffUser) {
    return mayOpen(staff, 'appointments') && ['ceo', 'admin'].includes(staff.role)
  }

  /**
   * Reading and writing the session note. `noteAuthorId` is the author of
   * the existing note, if any: a provider who took the appointment over
   * does not read what a colleague wrote.
   */
  useSessionNote(staff: StaffUser, appointment: Appointment, noteAuthorId: number | null) {
    return (
      mayOpen(staff, 'appointments') &&
      staff.role === 'clinician' &&
      appointment.providerId === staff.id &&
      (noteAuthorId === null || noteAuthorId === staff.id)
    )
  }
}
