import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'
import AppointmentRequest from '#models/appointment_request'
import type Appointment from '#models/appointment'
import StaffUser from '#models/staff_user'
import { queueRequestUpdateMail } from '#actions/requests/request_mail'
import { recordWithheld } from '#actions/contact/contact_subjects'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'

/*
| Staff decide a client's request (issue #19, item 4): book it (the booking
| path calls fulfilRequest in its own transaction, so the appointment and
| the linked request commit together) or decline it with a short message
| the client reads in the portal. Either way the person who asked gets the
| discreet mail, queued in the same transaction. Audited without the note
| or the message.
*/

/** The request is not (or no longer) open for this member of staff: withdrawn, decided, or not theirs. */
export class RequestNotOpen extends Error {
  constructor() {
    super('This request is no longer open: the client may have withdrawn it, or a colleague has answered it.')
  }
}

/** The request's client is not the booking's. */
export class RequestOfAnotherClient extends Error {
  constructor() {
    super('This request is from another client than the one being booked.')
  }
}

/** A reply mayContact refused (not a missing recipient): listed for staff under "Messages not sent". */
async function recordRefusal(actor: Actor, request: AppointmentRequest, mail: Awaited<ReturnType<typeof queueRequestUpdateMail>>) {
  if (mail.notSent && mail.notSent !== 'no_recipient') {
    await recordWithheld(actor, { clientId: request.clientId, kind: 'request_update', reason: mail.notSent })
  }
}

/** An open request this member of staff handles, locked for the rest of `trx`; null otherwise. */
async function openRequestFor(trx: TransactionClientContract, requestId: number, actor: Actor) {
  const staff = actor.id !== null ? await StaffUser.find(actor.id, { client: trx }) : null
  if (!staff) return null
  return AppointmentRequest.query({ client: trx })
    .withScopes((scopes) => {
      scopes.handledBy(staff)
      scopes.open()
    })
    .where('appointment_requests.id', requestId)
    .forUpdate()
    .first()
}

/**
 * Links an open request to the appointment just booked (or moved) for it,
 * in the booking's transaction: status booked, the appointment, who and
 * when; the mail to the person who asked. Throws RequestNotOpen or
 * RequestOfAnotherClient (the caller's transaction then books nothing).
 */
export async function fulfilRequest(trx: TransactionClientContract, requestId: number, appointment: Appointment, actor: Actor) {
  const request = await openRequestFor(trx, requestId, actor)
  if (!request) throw new RequestNotOpen()
  if (request.clientId !== appointment.clientId) throw new RequestOfAnotherClient()
  request.merge({ status: 'booked', bookedAppointmentId: appointment.id, decidedById: actor.id, decidedAt: DateTime.now() })
  await request.save()
  const mail = await queueRequestUpdateMail(trx, request)
  await auditStaffOrOperator(actor, 'appointment_request.booked', {
    clientId: request.clientId,
    detail: { requestId: request.id, appointmentId: appointment.id, mailed: mail.sent, notSent: mail.notSent },
  })
  await recordRefusal(actor, request, mail)
  return request
}

/** Declines an open request with the practice's message (shown in the portal; in the mail only with detail consent and not discreet). */
export async function declineRequest(input: { requestId: number; message: string }, actor: Actor) {
  return db.transaction(async (trx) => {
    const request = await openRequestFor(trx, input.requestId, actor)
    if (!request) throw new RequestNotOpen()
    request.merge({ status: 'declined', declineMessage: input.message, decidedById: actor.id, decidedAt: DateTime.now() })
    await request.save()
    const mail = await queueRequestUpdateMail(trx, request)
    await auditStaffOrOperator(actor, 'appointment_request.declined', {
      clientId: request.clientId,
      detail: { requestId: request.id, mailed: mail.sent, notSent: mail.notSent },
    })
    await recordRefusal(actor, request, mail)
    return request
  })
}
