import { DateTime } from 'luxon'
import type Appointment from '#models/appointment'
import type WaitlistEntry from '#models/waitlist_entry'
import PracticeSetting from '#models/practice_setting'
import type { ClientStatus } from '#models/client'
import { daysMask, partsMask, type DayPart, type Weekday } from '#support/request_preferences'

/*
| Joining the waitlist (issue #22), whoever asks: the client on the portal
| (app/actions/portal/join_waitlist.ts, through the PortalContext and its
| RLS transaction) or staff for them (add_to_waitlist.ts, as the app).
| Both go through joinWaitlistThrough, which holds the rules: the waitlist
| is off in view_only; it starts from a scheduled appointment still to come
| of an active client; no limit chosen means any day, any time; one
| waiting entry per client and provider (the unique index decides a race).
| Client-data models are types only here: the portal's writes stay in its
| RLS transaction (tests/unit/portal_data_imports.spec.ts).
*/

export interface WaitlistLimits {
  days?: Weekday[]
  parts?: DayPart[]
}

/** Why nobody may join from this appointment now; staff are told, the portal answers 404. */
export type WaitlistRefusal = 'view_only' | 'not_upcoming' | 'client_not_active'

export type JoinOutcome = { joined: WaitlistEntry } | { already: WaitlistEntry | null } | { refused: WaitlistRefusal }

/** The columns the rules decide; who writes adds who asked (client_user_id or added_by_id) and the client. */
export interface NewWaitlistEntry {
  providerId: number
  appointmentId: number
  daysOfWeek: number
  partsOfDay: number
}

/** Where the entry is read and written: the portal's RLS transaction, or the app's transaction for staff. */
export interface WaitlistWriter {
  /** The client's waiting entry for this provider, if any. */
  waitingEntryFor(providerId: number): Promise<WaitlistEntry | null>
  /** Inserts in a savepoint: a refused insert leaves the surrounding transaction usable. */
  insert(values: NewWaitlistEntry): Promise<WaitlistEntry>
}

/** The appointment an entry may start from: scheduled and still to come. */
export function mayWaitFrom(appointment: Pick<Appointment, 'status' | 'startsAt'>, now: DateTime = DateTime.now()) {
  return appointment.status === 'scheduled' && appointment.startsAt > now
}

/** The rules of joining, for both the portal and staff. Audit is the caller's (who asked differs). */
export async function joinWaitlistThrough(
  writer: WaitlistWriter,
  input: WaitlistLimits & { appointment: Pick<Appointment, 'id' | 'providerId' | 'status' | 'startsAt'>; clientStatus: ClientStatus },
  now: DateTime = DateTime.now()
): Promise<JoinOutcome> {
  if (!(await PracticeSetting.current()).clientsMaySchedule) return { refused: 'view_only' }
  if (!mayWaitFrom(input.appointment, now)) return { refused: 'not_upcoming' }
  if (input.clientStatus !== 'active') return { refused: 'client_not_active' }
  const { providerId } = input.appointment
  const existing = await writer.waitingEntryFor(providerId)
  if (existing) return { already: existing }
  try {
    return {
      joined: await writer.insert({
        providerId,
        appointmentId: input.appointment.id,
        daysOfWeek: input.days?.length ? daysMask(input.days) : 127,
        partsOfDay: input.parts?.length ? partsMask(input.parts) : 7,
      }),
    }
  } catch (error) {
    // The same client and provider joined at the same moment (the unique index): one entry stands.
    if ((error as { code?: string }).code !== '23505') throw error
    return { already: await writer.waitingEntryFor(providerId) }
  }
}
