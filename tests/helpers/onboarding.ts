import db from '@adonisjs/lucid/services/db'
import type Client from '#models/client'
import type { Relationship } from '#models/client_user_link'
import type { MailTemplate } from '#models/mail_message'
import { sendInvitation } from '#actions/invitations/send_invitation'
import { SYSTEM_ACTOR } from '#support/actor'
import { WebSession } from '#tests/helpers/web'

/*
| Invitations and onboarding in tests. Links are taken from the mail the
| app queued (the outbox row holds the link until the mail is sent), or
| from the message the SMTP capture received.
*/

/** A password the strength check accepts, unlike "password1234". */
export const NEW_PASSWORD = 'quiet-harbor-lantern-58'

let counter = 0
/** An address no other test uses. */
export const uniqueEmail = (label: string) =>
  `${label}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}@invite.test`

/** The link of the newest queued (not yet sent) mail of a template to an address. */
export async function outboxLink(template: MailTemplate, to: string) {
  const row = await db
    .connection('machinery')
    .from('mail_messages')
    .where({ template, recipient: to.toLowerCase() })
    .orderBy('id', 'desc')
    .first()
  if (!row?.data?.link) throw new Error(`No queued ${template} mail with a link to ${to}`)
  return String(row.data.link)
}

/** The path of an absolute link from an email, for the test's WebSession. */
export const pathOf = (link: string) => new URL(link).pathname

/** An invitation sent as an operator would; returns it with the path of its link. */
export async function invite(
  client: Client,
  email = uniqueEmail('invitee'),
  options: { relationship?: Relationship; recipientName?: string; consent?: boolean } = {}
) {
  const invitation = await sendInvitation({
    clientId: client.id,
    email,
    relationship: options.relationship ?? 'self',
    recipientName: options.recipientName ?? (options.relationship && options.relationship !== 'self' ? 'Jordan Guardian' : null),
    consent: options.consent,
  }, SYSTEM_ACTOR)
  return { invitation, email, path: pathOf(await outboxLink('portal_invitation', email)) }
}

/** Opens the link in a fresh browser and chooses a password. */
export async function acceptOverHttp(path: string, password = NEW_PASSWORD, web = new WebSession()) {
  await web.get(path)
  const response = await web.post(path, { password, password_confirmation: password })
  return { web, response }
}

/** The date-of-birth boxes for an ISO date. */
export function dateParts(iso: string) {
  const [year, month, day] = iso.split('-')
  return { month: String(Number(month)), day: String(Number(day)), year }
}

/** A complete, valid onboarding profile form. */
export function profileForm(overrides: Record<string, string> = {}) {
  return {
    phone: '(213) 373-4253',
    addressLine1: '12 Harbor Lane',
    addressLine2: '',
    city: 'Springfield',
    region: 'IL',
    postalCode: '62704',
    contactName: 'Robin Contact',
    contactRelationship: 'Sister',
    contactPhone: '+12025550143',
    contactEmail: '',
    reminderChannel: 'email',
    reminderLeadHours: '24',
    language: 'en',
    consentEmail: '1',
    ...overrides,
  }
}

/** Audit rows of one action (newest last). */
export function auditRows(action: string, where: Record<string, unknown> = {}) {
  return db.connection('machinery').from('audit_events').where({ action, ...where }).orderBy('id')
}
