import { Exception } from '@adonisjs/core/exceptions'

/*
| The database refused a booking: the provider already has an appointment
| then (the exclusion constraint appointments_no_double_booking). Thrown by
| Appointment.book and appointment.reschedule; the message is for staff and
| names the clashing time and the provider's next free times, never whose
| appointment it is.
*/
export class BookingClash extends Exception {
  static status = 409
  static code = 'E_BOOKING_CLASH'
}
