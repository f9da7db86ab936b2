import { DateTime } from 'luxon'
import type Appointment from '#models/appointment'
import type WaitlistEntry from '#models/waitlist_entry'
import type { PortalContext } from '#portal/portal_context'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'
import { joinWaitlistThrough, type WaitlistLimits } from '#actions/waitlist/join_waitlist'

/*
| Joining and leaving the waitlist from the portal (issue #22): through the
| PortalContext only, so the database's policies (migration 1764140000031)
| decide with the app: the appointment must be the active client's, still
| scheduled and to come; one waiting entry per client and provider. The
| rules themselves are shared with staff (#actions/waitlist/join_waitlist).
*/

/** The active client's appointment the waitlist may start from: scheduled and still to come. Null otherwise. */
export function waitlistableAppointment(portal: PortalContext, appointmentId: number): Promise<Appointment | null> {
  return portal
    .query('appointments')
    .where('appointments.id', appointmentId)
    .where('appointments.status', 'scheduled')
    .where('appointments.starts_at', '>', DateTime.now().toSQL()!)
    .withScopes((scopes) => scopes.withPortalDetails())
    .first()
}

/** The active client's waiting entry for a provider, if any. */
export function waitingEntryFor(portal: PortalContext, providerId: number): Promise<WaitlistEntry | null> {
  return portal
    .query('waitlistEntries')
    .withScopes((scopes) => scopes.waiting())
    .where('waitlist_entries.provider_id', providerId)
    .first()
}

/**
 * The active client joins (or a guardian for them): the shared rules of
 * joinWaitlistThrough, written through the PortalContext, whose RLS
 * policies check the appointment again. Refused (view_only meanwhile): null.
 */
export async function joinWaitlist(
  portal: PortalContext,
  input: WaitlistLimits & { appointment: Appointment },
  actor: Actor
): Promise<{ joined: WaitlistEntry } | { already: WaitlistEntry | null } | null> {
  const outcome = await joinWaitlistThrough(
    {
      waitingEntryFor: (providerId) => waitingEntryFor(portal, providerId),
      insert: (values) => portal.attempt(() => portal.create('waitlistEntries', { ...values, clientUserId: portal.account.id })),
    },
    { ...input, clientStatus: portal.client.status }
  )
  if ('refused' in outcome) return null
  if ('joined' in outcome) {
    await audit(portal, actor, 'portal.waitlist.joined', {
      entryId: outcome.joined.id,
      appointmentId: input.appointment.id,
      daysOfWeek: outcome.joined.daysOfWeek,
      partsOfDay: outcome.joined.partsOfDay,
    })
  }
  return outcome
}

/** Leaves a waiting entry (locked first); false when it had already ended. */
export async function leaveWaitlist(portal: PortalContext, entryId: number, actor: Actor) {
  const entry = await portal
    .query('waitlistEntries')
    .where('waitlist_entries.id', entryId)
    .withScopes((scopes) => scopes.waiting())
    .forUpdate()
    .first()
  if (!entry) return false
  entry.merge({ status: 'ended', endedReason: 'left', endedAt: DateTime.now(), updatedAt: DateTime.now() })
  await entry.save()
  await audit(portal, actor, 'portal.waitlist.left', { entryId: entry.id })
  return true
}

function audit(portal: PortalContext, actor: Actor, action: string, detail: Record<string, number | string>) {
  return auditBy(actor, { action, actorKind: 'client_user', actorId: portal.account.id, clientId: portal.client.id, detail })
}
