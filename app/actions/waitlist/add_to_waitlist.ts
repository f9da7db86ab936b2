import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Appointment from '#models/appointment'
import WaitlistEntry from '#models/waitlist_entry'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import { joinWaitlistThrough, type WaitlistLimits } from '#actions/waitlist/join_waitlist'

/**
 * Staff put a client on the waitlist from one of their upcoming
 * appointments (the staff appointment page). The appointment is locked
 * first so it cannot be cancelled or moved meanwhile; audited as a staff
 * (or operator) action. Who may see the appointment is the caller's check.
 */
export async function addToWaitlist(input: WaitlistLimits & { appointmentId: number }, actor: Actor, now: DateTime = DateTime.now()) {
  const addedById = actor.kind === 'staff' ? actor.id : null
  const result = await db.transaction(async (trx) => {
    const appointment = await Appointment.query({ client: trx }).where('appointments.id', input.appointmentId).forUpdate().firstOrFail()
    await appointment.load('client')
    const outcome = await joinWaitlistThrough(
      {
        waitingEntryFor: (providerId) =>
          WaitlistEntry.query({ client: trx })
            .withScopes((scopes) => {
              scopes.forClient(appointment.clientId)
              scopes.waiting()
            })
            .where('waitlist_entries.provider_id', providerId)
            .first(),
        insert: (values) =>
          trx.transaction((savepoint) =>
            WaitlistEntry.create({ ...values, clientId: appointment.clientId, addedById }, { client: savepoint })
          ),
      },
      { ...input, appointment, clientStatus: appointment.client.status },
      now
    )
    return { appointment, outcome }
  })
  const { appointment, outcome } = result
  if ('joined' in outcome) {
    await auditStaffOrOperator(actor, 'waitlist.entry_added', {
      clientId: appointment.clientId,
      detail: {
        entryId: outcome.joined.id,
        appointmentId: appointment.id,
        providerId: appointment.providerId,
        daysOfWeek: outcome.joined.daysOfWeek,
        partsOfDay: outcome.joined.partsOfDay,
      },
    })
  }
  return outcome
}
