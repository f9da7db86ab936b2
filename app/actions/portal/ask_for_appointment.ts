import { DateTime } from 'luxon'
import type AppointmentRequest from '#models/appointment_request'
import type { PortalContext } from '#portal/portal_context'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'
import { daysMask, partsMask, type DayPart, type RequestModality, type Weekday } from '#support/request_preferences'

/*
| A client asks for an appointment, or to move an upcoming one (issue #19,
| item 3), through the PortalContext only: the appointment and the provider
| named must be this client's (another client's id is refused like an
| unknown one), and the database counts the limits (3 open per client, 5 new
| per account a day) and refuses an identical open request; each refusal
| comes back as a reason the page says calmly. Audited without the note.
*/

/** Providers a client may name: those of its appointments of the last 12 months (not cancelled by the practice). */
export const PROVIDER_MONTHS = 12

export interface RequestInput {
  appointmentId?: number
  days: Weekday[]
  parts: DayPart[]
  providerId?: number
  modality: RequestModality
  note?: string
}

export type RequestRefusal = 'open_limit' | 'daily_limit' | 'identical' | 'provider'

export type AskOutcome = { request: AppointmentRequest } | { refused: RequestRefusal } | { notFound: true }

/** The providers the client may ask for by name, alphabetically. */
export async function requestableProviders(portal: Pick<PortalContext, 'query'>, now = DateTime.now()) {
  const rows = (await portal
    .query('appointments')
    .innerJoin('portal_provider_names', 'portal_provider_names.id', 'appointments.provider_id')
    .where('appointments.starts_at', '>', now.minus({ months: PROVIDER_MONTHS }).toSQL()!)
    .whereNot('appointments.status', 'cancelled')
    .distinct('portal_provider_names.id', 'portal_provider_names.name')
    .orderBy('portal_provider_names.name')
    .pojo()) as { id: number; name: string }[]
  return rows.map((row) => ({ id: Number(row.id), name: row.name }))
}

/** An appointment of this client the client may ask to move: scheduled and still to come. Null otherwise. */
export function reschedulableAppointment(portal: Pick<PortalContext, 'query'>, appointmentId: number, now = DateTime.now()) {
  return portal
    .query('appointments')
    .where('appointments.id', appointmentId)
    .where('appointments.status', 'scheduled')
    .where('appointments.starts_at', '>', now.toSQL()!)
    .withScopes((scopes) => scopes.withPortalDetails())
    .first()
}

export async function askForAppointment(portal: PortalContext, input: RequestInput, actor: Actor): Promise<AskOutcome> {
  const refuse = async (reason: RequestRefusal): Promise<AskOutcome> => {
    await auditBy(actor, {
      action: 'portal.appointment_request.refused',
      actorKind: 'client_user',
      actorId: portal.account.id,
      clientId: portal.client.id,
      detail: { reason, kind: input.appointmentId ? 'reschedule' : 'new' },
    })
    return { refused: reason }
  }

  if (input.appointmentId !== undefined && !(await reschedulableAppointment(portal, input.appointmentId))) {
    return { notFound: true }
  }
  if (input.providerId !== undefined) {
    const providers = await requestableProviders(portal)
    if (!providers.some((provider) => provider.id === input.providerId)) return refuse('provider')
  }

  let request: AppointmentRequest
  try {
    request = await portal.attempt(() =>
      portal.create('appointmentRequests', {
        clientUserId: portal.account.id,
        kind: input.appointmentId !== undefined ? 'reschedule' : 'new',
        appointmentId: input.appointmentId ?? null,
        daysOfWeek: daysMask(input.days),
        partsOfDay: partsMask(input.parts),
        providerId: input.providerId ?? null,
        modality: input.modality,
        note: input.note || null,
      })
    )
  } catch (error) {
    const reason = refusalOf(error)
    if (!reason) throw error
    return refuse(reason)
  }

  await auditBy(actor, {
    action: 'portal.appointment_request.created',
    actorKind: 'client_user',
    actorId: portal.account.id,
    clientId: portal.client.id,
    detail: {
      requestId: request.id,
      kind: request.kind,
      appointmentId: request.appointmentId,
      providerId: request.providerId,
      modality: request.modality,
    },
  })
  return { request }
}

/** The database's refusals of a new request (the trigger's limits, the identical-open index), by name. */
function refusalOf(error: unknown): RequestRefusal | null {
  const failure = error as { code?: string; constraint?: string; message?: string } | null
  if (failure?.code === '23505' && failure.constraint === 'appointment_requests_identical_open') return 'identical'
  if (failure?.code === 'P0001' && failure.message?.includes('appointment_requests_open_limit')) return 'open_limit'
  if (failure?.code === 'P0001' && failure.message?.includes('appointment_requests_daily_limit')) return 'daily_limit'
  return null
}

/** The client withdraws an open request of theirs; false when it was no longer open (nothing changes). */
export async function withdrawRequest(portal: PortalContext, request: AppointmentRequest, actor: Actor) {
  if (!request.isOpen) return false
  request.merge({ status: 'withdrawn', withdrawnAt: DateTime.now() })
  await request.save()
  await auditBy(actor, {
    action: 'portal.appointment_request.withdrawn',
    actorKind: 'client_user',
    actorId: portal.account.id,
    clientId: portal.client.id,
    detail: { requestId: request.id },
  })
  return true
}
