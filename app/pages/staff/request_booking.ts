import vine from '@vinejs/vine'
import AppointmentRequest from '#models/appointment_request'
import type StaffUser from '#models/staff_user'

/*
| Booking (or moving) an appointment for a client's request, from the staff
| inbox: the request the form was opened for, and the hidden id it sends back.
*/

/** The hidden request id of the booking and reschedule forms; absent for an ordinary booking. */
export const bookedRequestValidator = vine.create({
  requestId: vine.number().withoutDecimals().positive().max(Number.MAX_SAFE_INTEGER).optional(),
})

/** An open request this member of staff handles, by the id in the query string; null for anything else. */
export async function requestToBook(staff: Pick<StaffUser, 'id' | 'role'>, asked: unknown) {
  const id = Number(asked)
  if (!Number.isSafeInteger(id) || id <= 0) return null
  return AppointmentRequest.query()
    .withScopes((scopes) => {
      scopes.handledBy(staff)
      scopes.open()
    })
    .where('appointment_requests.id', id)
    .preload('client')
    .preload('provider')
    .first()
}
