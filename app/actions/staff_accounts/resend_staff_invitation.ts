import db from '@adonisjs/lucid/services/db'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import {
  StaffAccountProblem,
  lockForChange,
  sendStaffInvitationMail,
} from '#actions/staff_accounts/staff_account_rules'

/** A new link for someone who has not chosen a password yet; the old link stops working. */
export async function resendStaffInvitation(staffId: number, actor: Actor) {
  await db.connection('machinery').transaction(async (trx) => {
    const { target, actorRole } = await lockForChange(trx, staffId, actor)
    if (actor.kind === 'staff' && actorRole === 'admin' && target.role === 'ceo') {
      throw new StaffAccountProblem('account', 'Only a practice owner can change a practice owner’s account.')
    }
    if (!target.isInvited || !target.isActive) {
      throw new StaffAccountProblem('account', `${target.name} has already chosen a password.`)
    }
    await sendStaffInvitationMail(trx, target)
  })
  await auditStaffOrOperator(actor, 'staff_account.invitation_resent', { detail: { staffId } })
}
