import db from '@adonisjs/lucid/services/db'
import { auditStaffOrOperator } from '#services/audit'
import { ROLE_LABELS, type StaffRole } from '#models/staff_user'
import type { Actor } from '#support/actor'
import { assertMayManage, assertNotLastCeo, lockForChange } from '#actions/staff_accounts/staff_account_rules'

export async function changeStaffRole(staffId: number, role: StaffRole, actor: Actor) {
  const { before, after } = await db.connection('machinery').transaction(async (trx) => {
    const { target, actorRole, activeCeoIds } = await lockForChange(trx, staffId, actor)
    assertMayManage(actor, actorRole, target, role)
    if (target.role === role) return { before: role, after: role }
    if (role !== 'ceo') assertNotLastCeo(target, activeCeoIds)
    const previous = target.role
    target.role = role
    await target.useTransaction(trx).save()
    return { before: previous, after: role }
  })
  if (before !== after) {
    await auditStaffOrOperator(actor, 'staff_account.role_changed', { detail: { staffId, from: before, to: after } })
  }
  return { changed: before !== after, roleLabel: ROLE_LABELS[after] }
}
