import { DateTime } from 'luxon'
import type Appointment from '#models/appointment'
import type WaitlistEntry from '#models/waitlist_entry'
import type { PortalContext } from '#portal/portal_context'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'
import { daysMask, partsMask, type DayPart, type Weekday } from '#support/request_preferences'

/*
| Joining and leaving the waitlist from the portal (issue #22): through the
| PortalContext only, so the database's policies (migration 1764140000031)
| decide with the app: the appointment must be the active client's, still
| scheduled and to come; one waiting entry per client and provider.
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

export async function joinWaitlist(
  portal: PortalContext,
  input: { appointment: Appointment; days?: Weekday[]; parts?: DayPart[] },
  actor: Actor
): Promise<{ joined: WaitlistEntry } | { already: WaitlistEntry | null }> {
  const existing = await waitingEntryFor(portal, input.appointment.providerId)
  if (existing) return { already: existing }
  let entry: WaitlistEntry
  try {
    entry = await portal.attempt(() =>
      portal.create('waitlistEntries', {
        providerId: input.appointment.providerId,
        appointmentId: input.appointment.id,
        clientUserId: portal.account.id,
        daysOfWeek: input.days?.length ? daysMask(input.days) : 127,
        partsOfDay: input.parts?.length ? partsMask(input.parts) : 7,
      })
    )
  } catch (error) {
    // The same client and provider joined at the same moment (the unique index): one entry stands.
    if ((error as { code?: string }).code !== '23505') throw error
    return { already: await waitingEntryFor(portal, input.appointment.providerId) }
  }
  await audit(portal, actor, 'portal.waitlist.joined', {
    entryId: entry.id,
    appointmentId: input.appointment.id,
    daysOfWeek: entry.daysOfWeek,
    partsOfDay: entry.partsOfDay,
  })
  return { joined: entry }
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
