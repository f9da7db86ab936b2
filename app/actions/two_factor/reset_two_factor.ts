import db from '@adonisjs/lucid/services/db'
import type StaffUser from '#models/staff_user'
import { auditStaffOrOperator } from '#services/audit'
import { attemptsKey, codeAttempts } from '#services/two_factor'
import type { Actor } from '#support/actor'

/**
 * An operator's reset (lost phone): secret, confirmation and recovery codes
 * gone, every open session ended. A ceo or admin enrols again at the next sign-in.
 */
export async function resetTwoFactor(staff: StaffUser, actor: Actor) {
  const staffId = staff.id
  await db.connection('machinery').transaction(async (trx) => {
    await trx.from('staff_recovery_codes').where('staff_user_id', staffId).delete()
    await trx.rawQuery(
      `update staff_users
          set totp_secret = null, totp_confirmed_at = null, totp_last_used_step = null,
              session_epoch = session_epoch + 1, updated_at = now()
        where id = ?`,
      [staffId]
    )
  })
  await codeAttempts().delete(attemptsKey(staffId))
  await auditStaffOrOperator(actor, 'staff.two_factor_reset', {
    detail: { staffId, hadTwoFactor: staff.hasTwoFactor },
  })
}
