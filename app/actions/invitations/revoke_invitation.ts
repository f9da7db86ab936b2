import db from '@adonisjs/lucid/services/db'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import { InvitationProblem } from '#actions/invitations/invitation_rules'

/**
 * Stops an invitation. If its link was already used, the account's link to
 * the client (not yet verified, so it never gave access) ends too.
 */
export async function revokeInvitation(invitationId: number, actor: Actor) {
  const revoked = await db.connection('machinery').transaction(async (trx) => {
    const [row] = await trx
      .from('portal_invitations')
      .where('id', invitationId)
      .whereNull('revoked_at')
      .whereNull('verified_at')
      .update({ revoked_at: db.raw('now()'), updated_at: db.raw('now()') })
      .returning(['id', 'client_id', 'accepted_by_id'])
    if (!row) return null
    if (row.accepted_by_id) {
      await trx
        .from('client_user_links')
        .where({ client_user_id: row.accepted_by_id, client_id: row.client_id })
        .whereNull('ended_at')
        .whereNull('verified_at')
        .update({ ended_at: db.raw('now()'), updated_at: db.raw('now()') })
    }
    return row as { id: number; client_id: number }
  })
  if (!revoked) {
    throw new InvitationProblem('invitation', 'This invitation cannot be revoked: it is already revoked or complete.')
  }
  await auditStaffOrOperator(actor, 'invitation.revoked', {
    clientId: revoked.client_id,
    detail: { invitationId: revoked.id },
  })
}
