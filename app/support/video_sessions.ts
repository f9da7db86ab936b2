import { DateTime } from 'luxon'

/*
| When a client may join a video session (issue #19 item 5): from 15 minutes
| before its start until its end; before that the portal says when it opens.
| Pure, with the clock passed in, so tests drive it at the boundaries.
*/
export const VIDEO_JOIN_LEAD_MINUTES = 15

export type VideoSession =
  | { state: 'open'; url: string }
  | { state: 'not_yet'; opensAt: DateTime }
  | { state: 'no_link' }

/**
 * What the portal shows about an appointment's video session at `now`; null
 * for none at all (not telehealth, cancelled, or over). `url` is the room it
 * takes: its own link, else its provider's.
 */
export function videoSessionAt(
  appointment: { isTelehealth: boolean; status: string; startsAt: DateTime; endsAt: DateTime },
  url: string | null,
  now: DateTime
): VideoSession | null {
  if (!appointment.isTelehealth) return null
  if (appointment.status === 'cancelled' || appointment.status === 'late_cancelled') return null
  if (now >= appointment.endsAt) return null
  const opensAt = appointment.startsAt.minus({ minutes: VIDEO_JOIN_LEAD_MINUTES })
  if (now < opensAt) return { state: 'not_yet', opensAt }
  return url ? { state: 'open', url } : { state: 'no_link' }
}
