import { DateTime } from 'luxon'
import Bowser from 'bowser'
import db from '@adonisjs/lucid/services/db'
import { MessageBuilder } from '@adonisjs/core/helpers'
import AuditEvent from '#models/audit_event'
import type ClientUser from '#models/client_user'
import practice from '#config/practice'
import { auditBy } from '#services/audit'
import { epochKey, lastSeenKey, signedInKey, type SignedInStamp } from '#services/signed_in_session'
import type { Actor } from '#support/actor'

/*
| Account activity (issue #20, DESIGN §12): a portal account's own sign-ins of
| the last 90 days and its sessions open now, and "sign out of all other
| sessions". Account machinery: audit_events and sessions on the app role's
| machinery pool, always narrowed to this one account (never a client's data,
| never another account's events).
|
| Sign-ins come from the audit trail, which records them already:
| `portal.sign_in` (actor: the account) and `portal.sign_in_failed`, which
| names an account only when the submitted email belongs to one (an unknown
| email records an anonymous event, attached to nobody).
*/

export const ACTIVITY_DAYS = 90
const SHOWN_SIGN_INS = 200
const SIGN_IN_ACTIONS = ['portal.sign_in', 'portal.sign_in_failed']

/** "Firefox on Windows", as parts the page words in its language; nulls when the agent said nothing useful. */
export interface DeviceGuess {
  browser: string | null
  system: string | null
  /** desktop | mobile | tablet | tv | bot, or null. */
  kind: string | null
}

/** Approximate browser, system and kind of device of a user agent (bowser's names; never exact). */
export function describeUserAgent(userAgent: string | null | undefined): DeviceGuess {
  if (!userAgent) return { browser: null, system: null, kind: null }
  const parsed = Bowser.parse(userAgent)
  return {
    browser: parsed.browser.name ?? null,
    system: parsed.os.name ?? null,
    kind: parsed.platform.type ?? null,
  }
}

export interface SignInEntry {
  at: DateTime
  succeeded: boolean
  device: DeviceGuess
}

export interface OpenSession {
  signedInAt: DateTime | null
  lastSeenAt: DateTime | null
  device: DeviceGuess
  current: boolean
}

/** The account's own sign-ins (and failed attempts at its email) of the last 90 days, newest first. */
export async function recentSignIns(account: Pick<ClientUser, 'id'>, now = DateTime.now()): Promise<SignInEntry[]> {
  const events = await AuditEvent.query()
    .withScopes((scopes) => scopes.byActor('client_user', account.id))
    .whereIn('audit_events.action', SIGN_IN_ACTIONS)
    .where('audit_events.occurred_at', '>=', now.minus({ days: ACTIVITY_DAYS }).toJSDate())
    .withScopes((scopes) => scopes.newestFirst())
    .select('occurred_at', 'action', 'user_agent')
    .limit(SHOWN_SIGN_INS)
  return events.map((event) => ({
    at: event.occurredAt,
    succeeded: event.action === 'portal.sign_in',
    device: describeUserAgent(event.userAgent),
  }))
}

/** What the session store keeps in `user_id` for a portal account. */
function ownerKey(accountId: number) {
  return `client_users:${accountId}`
}

/**
 * The account's sessions that would still let someone in now: not expired,
 * signed in at the account's current session epoch, and not idle beyond the
 * portal's limit. `currentSessionId` marks the one asking.
 */
export async function openSessions(
  account: Pick<ClientUser, 'id' | 'sessionEpoch'>,
  currentSessionId: string,
  now = DateTime.now()
): Promise<OpenSession[]> {
  const rows: { id: string; data: string }[] = await db
    .connection('machinery')
    .from('sessions')
    .where('user_id', ownerKey(account.id))
    .where('expires_at', '>', now.toJSDate())
    .select('id', 'data')
  const idleLimit = practice.portalIdleMinutes * 60_000
  const sessions: OpenSession[] = []
  for (const row of rows) {
    let values: Record<string, unknown> | null = null
    try {
      values = new MessageBuilder().verify<Record<string, unknown>>(row.data, row.id)
    } catch {}
    if (!values || values[epochKey('client_users')] !== account.sessionEpoch) continue
    const lastSeen = Number(values[lastSeenKey('client_users')]) || null
    if (lastSeen !== null && now.toMillis() - lastSeen > idleLimit) continue
    const stamp = values[signedInKey('client_users')] as SignedInStamp | undefined
    sessions.push({
      signedInAt: stamp?.at ? DateTime.fromMillis(stamp.at) : null,
      lastSeenAt: lastSeen ? DateTime.fromMillis(lastSeen) : null,
      device: describeUserAgent(stamp?.userAgent),
      current: row.id === currentSessionId,
    })
  }
  return sessions.sort((a, b) => Number(b.current) - Number(a.current) || (b.signedInAt?.toMillis() ?? 0) - (a.signedInAt?.toMillis() ?? 0))
}

/**
 * Ends every other session of the account at once: a new session epoch
 * (every session signed in before it is signed out on its next request, its
 * cookie replayed included) and their rows deleted. The caller keeps the
 * asking session alive by storing the new epoch in it.
 */
export async function signOutOtherSessions(account: ClientUser, currentSessionId: string, actor: Actor) {
  await account.endAllSessions()
  const ended = await db
    .connection('machinery')
    .from('sessions')
    .where('user_id', ownerKey(account.id))
    .whereNot('id', currentSessionId)
    .delete()
  await auditBy(actor, {
    action: 'portal.sessions.signed_out_others',
    actorKind: 'client_user',
    actorId: account.id,
    detail: { sessions: Number(ended) || 0 },
  })
  return account.sessionEpoch
}
