import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import OneTimeToken from '#models/one_time_token'
import StaffUser from '#models/staff_user'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'

/*
| The invited staff member chooses a password from the emailed link.
| Reading the link spends nothing; only accepting does.
*/

/** The invited account a link belongs to, if the link still works. Reading spends nothing. */
export async function usableStaffInvitation(token: string) {
  if (!token || token.length > 100) return null
  const found = await OneTimeToken.query()
    .withScopes((scopes) => {
      scopes.usable()
      scopes.carriedBy(token, 'staff_invite')
    })
    .first()
  if (!found?.staffUserId) return null
  const staff = await StaffUser.find(found.staffUserId)
  return staff && staff.isActive && staff.isInvited ? staff : null
}

/** Spends the link (one conditional UPDATE) and sets the chosen password. Null when the link no longer works. */
export async function acceptStaffInvitation(token: string, password: string, actor: Actor) {
  if (!token || token.length > 100) return null
  const passwordHash = await hash.use('scrypt').make(password)
  const staffId = await db.connection('machinery').transaction(async (trx) => {
    const spent = await trx.rawQuery(
      `update one_time_tokens set used_at = now()
        where token_hash = ? and purpose = 'staff_invite' and used_at is null and expires_at > now()
        returning staff_user_id`,
      [OneTimeToken.hashToken(token)]
    )
    const id = spent.rows[0]?.staff_user_id
    if (!id) return null
    const updated = await trx.rawQuery(
      `update staff_users
          set password = ?, password_set_at = now(), session_epoch = session_epoch + 1, updated_at = now()
        where id = ? and is_active and password_set_at is null
        returning id`,
      [passwordHash, id]
    )
    return updated.rows[0] ? Number(updated.rows[0].id) : null
  })
  if (staffId) await auditBy(actor, { action: 'staff.invitation.accepted', actorKind: 'staff', actorId: staffId })
  return staffId
}
