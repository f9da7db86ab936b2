import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import type Appointment from '#models/appointment'
import type { ClientScope } from '#portal/portal_context'
import PracticeSetting from '#models/practice_setting'
import { messageIdHost } from '#config/mail'
import { auditBy } from '#services/audit'
import { mayShowDetails } from '#actions/contact/may_contact'
import type { Actor } from '#support/actor'
import { formatDate, formatTime } from '#support/practice_time'

/*
| Confirm / I can't make it (DESIGN §17, issue #17 item 5): from an emailed
| action link or signed in on the portal. Reads and writes the appointment
| only through the client's RLS transaction (a PortalContext, or an
| AddresseeContext for a client without an account).
*/

export type AppointmentChoice = 'confirm' | 'cancel'

/** How the person acting reached the page: an emailed link, or signed in. */
export interface ActingPerson {
  via: 'link' | 'signed_in'
  /** The portal account; null for a client without one (the client's own email link). */
  accountId: number | null
}

/** `closed`: a cancel while the practice's mode is view_only (the route answers 404). */
export type ChoiceOutcome = 'confirmed' | 'cancelled' | 'too_late' | 'refused' | 'closed'

/**
 * The appointment a link (or the signed-in page) may act on: the client's,
 * still scheduled, still to come, and (from a link) at the start the link was
 * issued for. Null otherwise. With `lock`, its row is locked for the rest of
 * the transaction.
 */
export async function actionableAppointment(
  scope: ClientScope,
  appointmentId: number,
  boundStart: DateTime | null,
  { lock = false } = {}
): Promise<Appointment | null> {
  const query = scope
    .query('appointments')
    .where('appointments.id', appointmentId)
    .where('appointments.status', 'scheduled')
    .where('appointments.starts_at', '>', DateTime.now().toSQL()!)
  if (boundStart) query.where('appointments.starts_at', boundStart.toUTC().toISO()!)
  if (lock) query.forUpdate()
  return query.first()
}

/** The appointment with its type and provider's name, for the page. */
export function appointmentForPage(scope: ClientScope, appointmentId: number) {
  return scope
    .query('appointments')
    .where('appointments.id', appointmentId)
    .withScopes((scopes) => scopes.withPortalDetails())
    .firstOrFail()
}

/**
 * What a page reached from an emailed link may show: details with detail
 * consent, unless discreet mode (DESIGN §15) is on, which also makes the
 * tab title neutral.
 */
export async function pagePrivacy(scope: ClientScope) {
  const preferences = await scope.query('clientPreferences').first()
  const discreet = preferences?.discreetMode === true
  return { discreet, details: mayShowDetails(preferences) }
}

/**
 * Confirms, or cancels when the practice lets clients cancel online and the
 * cancellation window has not started; inside the window nothing changes
 * ('too_late': the page shows the phone), and in `view_only` a cancel is
 * 'closed' (the route answers 404). Locks the row first and acts only if it
 * is still actionable. Audited either way. A cancellation queues the
 * provider's notice in the same transaction.
 */
export async function actOnAppointment(
  scope: ClientScope,
  input: { appointmentId: number; boundStart: DateTime | null; choice: AppointmentChoice; by: ActingPerson },
  actor: Actor
): Promise<{ outcome: ChoiceOutcome; appointment: Appointment | null }> {
  const audit = (action: string, detail: Record<string, string | number | boolean | null>) =>
    auditBy(actor, {
      action,
      actorKind: input.by.accountId ? 'client_user' : 'anonymous',
      actorId: input.by.accountId,
      clientId: scope.client.id,
      detail: { appointmentId: input.appointmentId, via: input.by.via, ...detail },
    })

  const settings = await PracticeSetting.current()
  if (input.choice === 'cancel' && !settings.clientsMaySchedule) {
    await audit('portal.appointment_action.refused', { choice: 'cancel', reason: 'view_only' })
    return { outcome: 'closed', appointment: null }
  }

  const appointment = await actionableAppointment(scope, input.appointmentId, input.boundStart, { lock: true })
  if (!appointment) {
    await audit('portal.appointment_action.refused', { choice: input.choice, reason: 'not_actionable' })
    return { outcome: 'refused', appointment: null }
  }

  if (input.choice === 'confirm') {
    appointment.confirmedAt = DateTime.now()
    appointment.confirmedById = input.by.accountId
    await appointment.save()
    await audit('portal.appointment.confirmed', {})
    return { outcome: 'confirmed', appointment }
  }

  if (appointment.clientCancellation(settings) === 'too_late') {
    await audit('portal.appointment_action.refused', { choice: 'cancel', reason: 'inside_cancellation_window' })
    return { outcome: 'too_late', appointment }
  }
  appointment.status = 'cancelled'
  appointment.cancelledAt = DateTime.now()
  appointment.cancelledByKind = input.by.via === 'link' ? 'client_link' : 'client'
  appointment.cancelledById = input.by.accountId
  await appointment.save()
  await queueProviderNotice(appointment)
  // Its queued, unsent reminders go too (as a staff cancel does): migration 1764140000033.
  await appointment.$trx!.rawQuery('select portal_withdraw_unsent_reminders(?)', [appointment.id])
  await audit('portal.appointment.cancelled', { from: 'scheduled', to: 'cancelled' })
  return { outcome: 'cancelled', appointment }
}

/**
 * Tells the provider a client cancelled (issue #17 item 6): to the staff
 * member's email, in English, the day and time only; no client name, nothing
 * clinical. Queued in the client's own transaction, the one that cancelled
 * (the portal role may do only this, through
 * portal_queue_provider_cancellation_notice: migration 1764140000021).
 */
async function queueProviderNotice(appointment: Appointment) {
  await appointment.$trx!.rawQuery('select portal_queue_provider_cancellation_notice(?, ?, ?::jsonb, ?)', [
    appointment.id,
    'A client cancelled an appointment',
    JSON.stringify({ date: formatDate(appointment.startsAt), time: formatTime(appointment.startsAt) }),
    `<${randomUUID()}@${messageIdHost}>`,
  ])
}
