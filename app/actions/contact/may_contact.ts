/*
| mayContact (DESIGN §15): THE one function that decides whether a message
| may go out to a client or to someone acting for them. Every outbound
| message about a client asks it first; a refused message is not sent, and
| the reason is recorded where the message would have been (a reminder's
| `skipped_reason`). Later issues extend it HERE (discreet mode, texts,
| voicemail, new kinds) rather than checking rules of their own.
|
| Exempt: mail the account holder asks for to secure their own account
| (password reset, email-change confirmation); it never comes here.
|
| Today: the client must be active, and the client must allow email
| (`client_preferences.consent_email`; no preferences row: the column's
| default, allowed).
*/
export const CONTACT_KINDS = ['reminder', 'appointment_notice', 'request_update'] as const
export type ContactKind = (typeof CONTACT_KINDS)[number]

export const CONTACT_REFUSALS = ['client_inactive', 'no_email_consent'] as const
export type ContactRefusal = (typeof CONTACT_REFUSALS)[number]

export type ContactDecision = { allowed: true } | { allowed: false; reason: ContactRefusal }

/** What the rules read: the client's status and its contact preferences. */
export interface ContactSubject {
  status: string
  preference?: { consentEmail: boolean } | null
}

export function mayContact(client: ContactSubject, kind: ContactKind): ContactDecision {
  if (!(CONTACT_KINDS as readonly string[]).includes(kind)) throw new Error(`Unknown contact kind "${kind}"`)
  if (client.status !== 'active') return { allowed: false, reason: 'client_inactive' }
  if (client.preference && !client.preference.consentEmail) return { allowed: false, reason: 'no_email_consent' }
  return { allowed: true }
}
