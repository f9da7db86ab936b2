import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import practice from '#config/practice'
import StaffUser, { type StaffRole } from '#models/staff_user'
import OneTimeToken from '#models/one_time_token'
import { emailLink } from '#services/email_links'
import { enqueueMail } from '#services/mail_queue'
import type { Actor } from '#support/actor'

/*
| The rules of staff accounts (/staff and `node ace staff:deactivate`),
| checked inside the transaction that makes the change, with the rows they
| depend on locked, so two requests at once cannot together break them
| (e.g. two admins demoting the last two ceos):
| - an admin cannot make, change, deactivate or reactivate a ceo;
| - nobody changes their own role or deactivates themselves;
| - the last active ceo cannot be demoted or deactivated.
| Deactivating keeps every row the person is named in (appointments, notes,
| audit) and ends their sessions at once (the epoch changes).
*/

export const STAFF_INVITATION_HOURS = 24

export class StaffAccountProblem extends Error {
  constructor(
    readonly field: 'name' | 'email' | 'role' | 'account',
    message: string
  ) {
    super(message)
  }
}

/**
 * Locks every active ceo (in id order, so concurrent changes queue instead of
 * deadlocking), then the acting and target accounts, and returns them fresh.
 */
export async function lockForChange(trx: TransactionClientContract, targetId: number, actor: Actor) {
  const ceos = await trx.rawQuery(
    `select id from staff_users where role = 'ceo' and is_active order by id for update`
  )
  const target = await StaffUser.query({ client: trx }).where('id', targetId).forUpdate().first()
  if (!target) throw new StaffAccountProblem('account', 'That staff account does not exist.')
  let actorRole: StaffRole | null = null
  if (actor.kind === 'staff') {
    const acting = await StaffUser.query({ client: trx }).where('id', actor.id!).first()
    // Roles may have changed since the page was opened: the rule uses the role now.
    if (!acting || !acting.isActive || !['ceo', 'admin'].includes(acting.role)) {
      throw new StaffAccountProblem('account', 'Your account may no longer manage staff accounts.')
    }
    actorRole = acting.role
  }
  return { target, actorRole, activeCeoIds: (ceos.rows as { id: number }[]).map((row) => Number(row.id)) }
}

export function assertMayManage(actor: Actor, actorRole: StaffRole | null, target: StaffUser, newRole?: StaffRole) {
  if (actor.kind !== 'staff') return
  if (actor.id === target.id) {
    throw new StaffAccountProblem(
      newRole ? 'role' : 'account',
      newRole
        ? 'You cannot change your own role. Another practice owner or administrator can.'
        : 'You cannot deactivate your own account. Another practice owner or administrator can.'
    )
  }
  if (actorRole === 'admin' && (target.role === 'ceo' || newRole === 'ceo')) {
    throw new StaffAccountProblem(
      newRole ? 'role' : 'account',
      'Only a practice owner can make someone a practice owner or change a practice owner’s account.'
    )
  }
}

export function assertNotLastCeo(target: StaffUser, activeCeoIds: number[]) {
  if (target.role === 'ceo' && target.isActive && activeCeoIds.length <= 1) {
    throw new StaffAccountProblem(
      'role',
      `${target.name} is the only active practice owner. Make someone else a practice owner first.`
    )
  }
}

/**
 * A new invitation link (24 h, single use, only its hash stored; the
 * account's earlier link stops working) and its email, in the caller's
 * transaction.
 */
export async function sendStaffInvitationMail(trx: TransactionClientContract, staff: StaffUser) {
  const { token } = await OneTimeToken.issue('staff_invite', { staffUserId: staff.id }, {
    expiresIn: { hours: STAFF_INVITATION_HOURS },
    client: trx,
  })
  await enqueueMail(
    {
      template: 'staff_invitation',
      to: staff.email,
      subject: `Your staff account at ${practice.name}`,
      data: {
        name: staff.name,
        link: emailLink('staff.invitations.show', { token }),
        expiresInHours: STAFF_INVITATION_HOURS,
      },
      clientId: null,
    },
    { client: trx }
  )
}
