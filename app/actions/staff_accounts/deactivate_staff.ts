import db from '@adonisjs/lucid/services/db'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import {
  StaffAccountProblem,
  assertMayManage,
  assertNotLastCeo,
  lockForChange,
} from '#actions/staff_accounts/staff_account_rules'

/** Deactivates the account and ends every open session of it; everything it is named in stays. */
export async function deactivateStaff(staffId: number, actor: Actor) {
  const staff = await db.connection('machinery').transaction(async (trx) => {
    const { target, actorRole, activeCeoIds } = await lockForChange(trx, staffId, actor)
    assertMayManage(actor, actorRole, target)
    if (!target.isActive) throw new StaffAccountProblem('account', `${target.name} is already deactivated.`)
    assertNotLastCeo(target, activeCeoIds)
    target.isActive = false
    target.sessionEpoch += 1
    await target.useTransaction(trx).save()
    return target
  })
  await auditStaffOrOperator(actor, 'staff_account.deactivated', { detail: { staffId } })
  return staff
}
