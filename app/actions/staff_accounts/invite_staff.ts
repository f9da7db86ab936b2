import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { randomBytes } from 'node:crypto'
import StaffUser, { type StaffRole } from '#models/staff_user'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import { StaffAccountProblem, sendStaffInvitationMail } from '#actions/staff_accounts/staff_account_rules'

export interface InviteStaffInput {
  name: string
  email: string
  role: StaffRole
}

/**
 * A new staff account, not usable until the person chooses a password from
 * the emailed link (24 h, single use, only its hash stored). The account, the
 * link and the mail commit together.
 */
export async function inviteStaff(input: InviteStaffInput, actor: Actor) {
  const email = input.email.trim().toLowerCase()
  // Nobody knows this password; it only fills the column until the person chooses one.
  const placeholder = await hash.use('scrypt').make(randomBytes(32).toString('base64url'))

  const staff = await db.connection('machinery').transaction(async (trx) => {
    if (actor.kind === 'staff') {
      const acting = await StaffUser.query({ client: trx }).where('id', actor.id!).first()
      if (!acting || !acting.isActive || !['ceo', 'admin'].includes(acting.role)) {
        throw new StaffAccountProblem('account', 'Your account may no longer manage staff accounts.')
      }
      if (acting.role === 'admin' && input.role === 'ceo') {
        throw new StaffAccountProblem('role', 'Only a practice owner can invite a practice owner.')
      }
    }
    const [row] = await trx
      .insertQuery()
      .table('staff_users')
      .insert({
        name: input.name.trim(),
        email,
        password: placeholder,
        role: input.role,
        is_active: true,
        password_set_at: null,
      })
      .onConflict('email')
      .ignore()
      .returning('id')
    if (!row) throw new StaffAccountProblem('email', 'A staff account with this email exists already.')
    const created = await StaffUser.findOrFail(row.id, { client: trx })
    await sendStaffInvitationMail(trx, created)
    return created
  })
  await auditStaffOrOperator(actor, 'staff_account.invited', { detail: { staffId: staff.id, role: staff.role } })
  return staff
}
