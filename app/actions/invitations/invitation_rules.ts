import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import practice from '#config/practice'
import type Client from '#models/client'
import type PortalInvitation from '#models/portal_invitation'
import { emailLink } from '#services/email_links'
import { discreetSubject, enqueueMail, mailI18n, mailLocale } from '#services/mail_queue'
import { mayContact } from '#actions/contact/may_contact'
import { contactSubjectsOf } from '#actions/contact/contact_subjects'

/*
| What sending and resending an invitation share. Account machinery:
| everything runs as the app role on the machinery pool, never in a
| client's RLS transaction.
*/

/** A problem with the input, tied to the form field (or command flag) it is about. */
export class InvitationProblem extends Error {
  constructor(
    readonly field: 'clientId' | 'email' | 'relationship' | 'recipientName' | 'consent' | 'invitation',
    message: string
  ) {
    super(message)
  }
}

export function invitationExpiryHours() {
  return env.get('INVITATION_EXPIRY_HOURS') ?? 72
}

/** Only active clients with a date of birth on file (the identity check needs it) may be invited. */
export function assertInvitable(client: Client) {
  if (client.status !== 'active') {
    throw new InvitationProblem(
      'clientId',
      `${client.fullName} is not an active client. Only active clients can have portal access.`
    )
  }
  if (!client.dateOfBirth) {
    throw new InvitationProblem(
      'clientId',
      `${client.fullName} has no date of birth on file. The portal asks for it to confirm who is signing up, so please add it on the client's page first.`
    )
  }
}

/**
 * The invitation email, as an outbox row in the invitation's own transaction,
 * in the language staff chose for the invitation (the person has no account yet).
 * mayContact decides first: when the client's contact rules forbid email the
 * invitation is refused (an InvitationProblem on `field`, which rolls the
 * transaction back), and in discreet mode the mail is neutral.
 */
export async function enqueueInvitationMail(
  trx: TransactionClientContract,
  invitation: PortalInvitation,
  client: Client,
  token: string,
  field: InvitationProblem['field'] = 'email'
) {
  const [subject] = await contactSubjectsOf([client.id], trx)
  const decision = mayContact(subject ?? client, 'portal_invitation')
  if (!decision.allowed) {
    throw new InvitationProblem(
      field,
      decision.reason === 'no_email_consent'
        ? `${client.fullName}'s contact rules say not to email, so no invitation was sent. If the client now agrees to email, change "May we email" on the client's page first.`
        : `${client.fullName} is not an active client. Only active clients can have portal access.`
    )
  }
  const locale = mailLocale({ invitation, client })
  return enqueueMail(
    {
      template: 'portal_invitation',
      to: invitation.email,
      locale,
      subject: decision.discreet
        ? discreetSubject('portal_invitation', locale)
        : mailI18n(locale).t('emails.portal_invitation.subject', { practice: practice.name }),
      discreet: decision.discreet,
      data: {
        recipientName: invitation.recipientName ?? client.displayFirstName,
        practiceName: decision.discreet ? null : practice.name,
        link: emailLink('portal.invitations.show', { token }),
        expiresInHours: invitationExpiryHours(),
      },
      clientId: client.id,
    },
    { client: trx }
  )
}
