import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import OneTimeToken from '#models/one_time_token'
import PortalInvitation from '#models/portal_invitation'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import {
  InvitationProblem,
  assertInvitable,
  enqueueInvitationMail,
  invitationExpiryHours,
} from '#actions/invitations/invitation_rules'

/**
 * A new link for an invitation: new token (the old one stops working),
 * expiry renewed, attempts reset. An invitation that was accepted or locked
 * before the identity check passed goes back to waiting, so the person can
 * open the new link (signing in to the account they already made) and try
 * the check again: this is how the practice unlocks a locked invitation.
 */
export async function resendInvitation(invitationId: number, actor: Actor) {
  const { token, tokenHash } = OneTimeToken.generate()
  const invitation = await db.connection('machinery').transaction(async (trx) => {
    const current = await PortalInvitation.query({ client: trx })
      .where('id', invitationId)
      .preload('client')
      .forUpdate()
      .first()
    if (!current) throw new InvitationProblem('invitation', 'That invitation does not exist.')
    if (!current.mayResend) {
      throw new InvitationProblem(
        'invitation',
        current.revokedAt
          ? 'This invitation was revoked. Please send a new invitation instead.'
          : 'This invitation is complete: the person has confirmed their identity.'
      )
    }
    assertInvitable(current.client)

    current.merge({
      tokenHash,
      expiresAt: DateTime.now().plus({ hours: invitationExpiryHours() }),
      sentCount: current.sentCount + 1,
      lastSentAt: DateTime.now(),
      verifyAttempts: 0,
      lockedAt: null,
      acceptedAt: null,
      acceptedById: null,
    })
    await current.save()
    await enqueueInvitationMail(trx, current, current.client, token, 'invitation')
    return current
  })

  await auditStaffOrOperator(actor, 'invitation.resent', {
    clientId: invitation.clientId,
    detail: { invitationId: invitation.id },
  })
  return invitation
}
