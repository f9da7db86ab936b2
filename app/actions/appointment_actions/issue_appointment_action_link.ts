import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import AppointmentActionLink from '#models/appointment_action_link'
import OneTimeToken from '#models/one_time_token'
import { emailLink } from '#services/email_links'

/** Who an action link is for: a portal account, or the client's own email when the client has no account. */
export type ActionLinkRecipient = { clientUserId: number } | { email: string }

/**
 * Issues one "Confirm / I can't make it" link (DESIGN §17) for an appointment
 * and a recipient: 256 random bits, only the hash stored, bound to the
 * appointment's current start, expiring at that start. Returns the absolute
 * URL for the mail. Machinery (the worker, a staff action): runs as the app
 * role; pass `{ client: trx }` to commit the link with the mail that carries it.
 * Null when the appointment does not exist or has already started.
 */
export async function issueAppointmentActionLink(
  { appointmentId, recipient }: { appointmentId: number; recipient: ActionLinkRecipient },
  options: { client?: TransactionClientContract } = {}
): Promise<string | null> {
  const client = options.client ?? db.connection('machinery')
  const appointment = await client
    .from('appointments')
    .where('id', appointmentId)
    .select('id', 'client_id', 'starts_at')
    .first()
  if (!appointment) return null
  const startsAt = DateTime.fromJSDate(appointment.starts_at)
  if (startsAt <= DateTime.now()) return null

  const { token, tokenHash } = OneTimeToken.generate()
  await AppointmentActionLink.create(
    {
      tokenHash,
      appointmentId: appointment.id,
      clientId: appointment.client_id,
      clientUserId: 'clientUserId' in recipient ? recipient.clientUserId : null,
      email: 'email' in recipient ? recipient.email : null,
      startsAt,
      expiresAt: startsAt,
    },
    { client: options.client }
  )
  return emailLink('portal.appointment_actions.show', { token })
}
