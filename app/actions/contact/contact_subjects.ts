/*
| What mayContact reads, loaded for mail that is not about one appointment:
| the clients (with their preferences) an invitation is for or an account
| acts for. Account machinery: the app role on the machinery pool (or the
| caller's transaction), never a portal RLS transaction.
*/
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import Client from '#models/client'
import ClientPreference from '#models/client_preference'
import { CONTACT_KINDS, mayContactAll, type ContactKind, type ContactRefusal } from '#actions/contact/may_contact'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'

/** The clients with `preference` set (null: no preferences row). */
export async function contactSubjectsOf(clientIds: number[], client?: QueryClientContract): Promise<Client[]> {
  if (!clientIds.length) return []
  const connection = client ?? db.connection('machinery')
  const [clients, preferences] = await Promise.all([
    Client.query({ client: connection }).whereIn('clients.id', clientIds),
    ClientPreference.query({ client: connection }).whereIn('client_preferences.client_id', clientIds),
  ])
  const byClient = new Map(preferences.map((preference) => [preference.clientId, preference]))
  for (const found of clients) found.$setRelated('preference', byClient.get(found.id) ?? (null as never))
  return clients
}

/**
 * The clients a portal account is linked to and not ended (verified or not:
 * mail to the account is about each of them), with their preferences.
 */
export async function contactSubjectsOfAccount(accountId: number, client?: QueryClientContract) {
  const connection = client ?? db.connection('machinery')
  const links: { client_id: number }[] = await connection
    .from('client_user_links')
    .where('client_user_id', accountId)
    .whereNull('ended_at')
    .select('client_id')
  return contactSubjectsOf([...new Set(links.map((link) => Number(link.client_id)))], client)
}

/**
 * mayContact for mail to a portal account (its password, its sign-in email):
 * asked of every client the account acts for (mayContactAll).
 */
export async function mayContactAccount(accountId: number, kind: ContactKind, client?: QueryClientContract) {
  return mayContactAll(await contactSubjectsOfAccount(accountId, client), kind)
}

/**
 * Account-security mail the account holder asked for (exempt kinds): it is
 * always sent; the answer is whether it must be discreet.
 */
export async function securityMailIsDiscreet(
  accountId: number,
  kind: 'password_reset' | 'password_changed' | 'email_change_confirm' | 'email_change_notice',
  client?: QueryClientContract
) {
  const decision = await mayContactAccount(accountId, kind, client)
  if (!decision.allowed) throw new Error(`"${kind}" is exempt from the contact rules, yet was refused`)
  return decision.discreet
}

/**
 * A message mayContact refused: not sent, and recorded for staff (the
 * client record lists these). Codes only, never the address or the text.
 */
export function recordWithheld(
  actor: Actor,
  entry: { clientId: number; kind: ContactKind; reason: ContactRefusal | 'no_recipient'; appointmentId?: number | null }
) {
  if (!(entry.kind in CONTACT_KINDS)) throw new Error(`Unknown contact kind "${entry.kind}"`)
  return auditBy(actor, {
    action: `${ACTION_PREFIX[actor.kind]}.contact.withheld`,
    actorKind: actor.kind,
    actorId: actor.id,
    clientId: entry.clientId,
    detail: { kind: entry.kind, reason: entry.reason, appointmentId: entry.appointmentId ?? null },
  })
}

const ACTION_PREFIX: Record<Actor['kind'], string> = {
  staff: 'staff',
  system: 'system',
  client_user: 'portal',
  anonymous: 'portal',
}

/** The audit actions recordWithheld writes, for the client record. */
export const WITHHELD_ACTIONS = [...new Set(Object.values(ACTION_PREFIX))].map((prefix) => `${prefix}.contact.withheld`)
