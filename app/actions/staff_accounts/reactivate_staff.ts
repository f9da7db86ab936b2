import db from '@adonisjs/lucid/services/db'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import { StaffAccountProblem, assertMayManage, lockForChange } from '#actions/staff_accounts/staff_account_rules'

export async function reactivateStaff(staffId: number, actor: Actor) {
  const staff = await db.connection('machinery').transaction(async (trx) => {
    const { target, actorRole } = await lockForChange(trx, staffId, actor)
    assertMayManage(actor, actorRole, target)
    if (target.isActive) throw new StaffAccountProblem('account', `${target.name} is already active.`)
    target.isActive = true
    await target.useTransaction(trx).save()
    return target
  })
  await auditStaffOrOperator(actor, 'staff_account.reactivated', { detail: { staffId } })
  return staff
}
