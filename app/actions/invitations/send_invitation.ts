import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Client from '#models/client'
import ClientUserLink, { type Relationship } from '#models/client_user_link'
import OneTimeToken from '#models/one_time_token'
import PortalInvitation from '#models/portal_invitation'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import type { PortalLocale } from '#support/locales'
import {
  InvitationProblem,
  assertInvitable,
  enqueueInvitationMail,
  invitationExpiryHours,
} from '#actions/invitations/invitation_rules'

export interface SendInvitationInput {
  clientId: number
  email: string
  relationship: Relationship
  recipientName?: string | null
  /** The adult client agreed to an authorized caregiver (required for that relationship). */
  consent?: boolean
  /** The language of the email and of the account it makes; the client's email language when not given. */
  language?: PortalLocale | null
}

/**
 * Invites someone to the portal (Portal Settings, `node ace portal:invite`):
 * checks the invitation may be sent, then writes it and its email in one
 * transaction (the email is an outbox row: both commit or neither does).
 */
export async function sendInvitation(input: SendInvitationInput, actor: Actor) {
  const email = input.email.trim().toLowerCase()
  const recipientName = input.recipientName?.trim() || null
  const client = await Client.find(input.clientId)
  if (!client) throw new InvitationProblem('clientId', 'Please choose a client from the list.')
  assertInvitable(client)

  if (input.relationship === 'parent' && client.isAdultOn()) {
    throw new InvitationProblem(
      'relationship',
      `${client.fullName} is 18 or older, so a parent link would not work. Choose legal guardian or authorized caregiver, or invite the client themselves.`
    )
  }
  if (input.relationship !== 'self' && !recipientName) {
    throw new InvitationProblem('recipientName', 'Please enter the name of the person you are inviting.')
  }
  if (input.relationship === 'authorized_caregiver' && !input.consent) {
    throw new InvitationProblem(
      'consent',
      'An authorized caregiver can only be invited with the client’s consent. Please confirm the client has given it.'
    )
  }

  const holdsClient = await ClientUserLink.query()
    .withScopes((scopes) => scopes.live())
    .where('client_user_links.client_id', client.id)
    .whereHas('clientUser', (account) => account.where('email', email))
    .first()
  if (holdsClient) {
    throw new InvitationProblem('email', `This email already has portal access for ${client.fullName}.`)
  }
  const open = await PortalInvitation.query()
    .withScopes((scopes) => scopes.usable())
    .where({ clientId: client.id, email })
    .first()
  if (open) {
    throw new InvitationProblem(
      'email',
      `An invitation to this email for ${client.fullName} is still open. You can resend it from the list of invitations.`
    )
  }

  const { token, tokenHash } = OneTimeToken.generate()
  const invitation = await db.connection('machinery').transaction(async (trx) => {
    const created = await PortalInvitation.create(
      {
        clientId: client.id,
        email,
        relationship: input.relationship,
        recipientName,
        language: input.language ?? client.emailLanguage,
        tokenHash,
        expiresAt: DateTime.now().plus({ hours: invitationExpiryHours() }),
        sentById: actor.kind === 'staff' ? actor.id : null,
        sentCount: 1,
        lastSentAt: DateTime.now(),
      },
      { client: trx }
    )
    await enqueueInvitationMail(trx, created, client, token)
    return created
  })

  await auditStaffOrOperator(actor, 'invitation.sent', {
    clientId: client.id,
    detail: { invitationId: invitation.id },
  })
  return invitation
}
