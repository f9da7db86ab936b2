/*
| mayContact (DESIGN §15): THE one function that decides whether a message
| may go out to a client or to someone acting for them, and how it must
| look. Every outbound mail about a client asks it first; a refused message
| is not sent, and the reason is recorded where staff see it (a reminder's
| `skipped_reason`, and for every kind a `*.contact.withheld` audit event
| shown on the client record: recordWithheld). Later issues extend it HERE
| (a new kind is one entry in CONTACT_KINDS) rather than checking rules of
| their own.
|
| Rules of a kind:
| - `onlyActiveClient`: nothing goes out about a client who is not active.
| - `needsEmailConsent`: the client must allow email (`consent_email`; no
|   preferences row: the column's default, allowed).
| - exempt kinds skip both: mail the account holder asks for to secure their
|   own account — password reset, the password-changed notice that follows
|   it, and the sign-in email change (the confirmation to the new address and
|   the notice to the old one). Withholding these would lock the person out
|   of their own account, or hide from them that someone else changed it.
|
| Every allowed decision also says whether the message must be discreet
| (`discreet_mode`): neutral subject and sender name, no practice, provider
| or appointment type anywhere, calendar files titled "Appointment". It
| applies to exempt kinds too, and overrides detail consent.
|
| Texts and voicemail are recorded for staff (`consent_sms`,
| `voicemail_allowed`, the note): the product sends neither, so no kind here
| uses them; a kind that does adds its own rule.
*/

export interface ContactKindRules {
  onlyActiveClient: boolean
  needsEmailConsent: boolean
  /** Words staff read on the client record for this kind. */
  label: string
}

export const CONTACT_KINDS = {
  portal_invitation: { onlyActiveClient: true, needsEmailConsent: true, label: 'Portal invitation' },
  portal_access_disabled: { onlyActiveClient: false, needsEmailConsent: true, label: 'Portal access turned off' },
  reminder: { onlyActiveClient: true, needsEmailConsent: true, label: 'Appointment reminder' },
  appointment_notice: { onlyActiveClient: true, needsEmailConsent: true, label: 'Appointment notice' },
  // Someone gained access, a level changed, a link ended (#20): told even when the client is no longer active.
  access_notice: { onlyActiveClient: false, needsEmailConsent: true, label: 'Portal access notice' },
  // The practice booked or declined what the client asked for (#19); a decline's message only with mayShowDetails.
  request_update: { onlyActiveClient: true, needsEmailConsent: true, label: 'Reply to an appointment request' },
  // An earlier time a cancellation freed, for a client on the waitlist (#22).
  waitlist_offer: { onlyActiveClient: true, needsEmailConsent: true, label: 'Offer of an earlier time (waitlist)' },
  // Exempt: asked for by the account holder, to secure their own account.
  password_reset: { onlyActiveClient: false, needsEmailConsent: false, label: 'Password reset' },
  password_changed: { onlyActiveClient: false, needsEmailConsent: false, label: 'Password changed' },
  email_change_confirm: { onlyActiveClient: false, needsEmailConsent: false, label: 'Sign-in email confirmation' },
  email_change_notice: { onlyActiveClient: false, needsEmailConsent: false, label: 'Sign-in email change notice' },
} as const satisfies Record<string, ContactKindRules>
export type ContactKind = keyof typeof CONTACT_KINDS

export const CONTACT_REFUSALS = ['client_inactive', 'no_email_consent'] as const
export type ContactRefusal = (typeof CONTACT_REFUSALS)[number]

/** What staff read for each refusal (client record, audit detail keeps the code). */
export const CONTACT_REFUSAL_LABELS: Record<ContactRefusal | 'no_recipient', string> = {
  client_inactive: 'The client is not active',
  no_email_consent: 'The client does not allow email',
  no_recipient: 'Nobody to write to',
}

export type ContactDecision = { allowed: true; discreet: boolean } | { allowed: false; reason: ContactRefusal }

/** What the rules read: the client's status and its contact preferences. */
export interface ContactSubject {
  status: string
  preference?: { consentEmail: boolean; discreetMode?: boolean } | null
}

export function mayContact(client: ContactSubject, kind: ContactKind): ContactDecision {
  const rules: ContactKindRules | undefined = (CONTACT_KINDS as Record<string, ContactKindRules>)[kind]
  if (!rules) throw new Error(`Unknown contact kind "${kind}"`)
  if (rules.onlyActiveClient && client.status !== 'active') return { allowed: false, reason: 'client_inactive' }
  if (rules.needsEmailConsent && client.preference && !client.preference.consentEmail) {
    return { allowed: false, reason: 'no_email_consent' }
  }
  return { allowed: true, discreet: client.preference?.discreetMode === true }
}

/**
 * Whether a message (a mail, or a page reached from one) may show details —
 * provider, type, place, a reply that may name them: with the client's
 * consent to details in email, which discreet mode overrides (DESIGN §15).
 * The one place this rule is written.
 */
export function mayShowDetails(preference: { consentDetailsInEmail?: boolean; discreetMode?: boolean } | null | undefined) {
  return preference?.discreetMode !== true && preference?.consentDetailsInEmail === true
}

/**
 * One message to an account that acts for several clients (a guardian's
 * password reset, access turned off): it goes only if every client allows
 * it, and is discreet if any of them asks for discretion. The first refusal
 * is returned with the client it is about.
 */
export function mayContactAll<Subject extends ContactSubject>(
  clients: Subject[],
  kind: ContactKind
): { allowed: true; discreet: boolean } | { allowed: false; reason: ContactRefusal; client: Subject } {
  let discreet = false
  for (const client of clients) {
    const decision = mayContact(client, kind)
    if (!decision.allowed) return { ...decision, client }
    discreet ||= decision.discreet
  }
  return { allowed: true, discreet }
}
