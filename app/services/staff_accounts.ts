import type { HttpContext } from '@adonisjs/core/http'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import StaffUser, { ROLE_LABELS, type StaffRole } from '#models/staff_user'
import OneTimeToken from '#models/one_time_token'
import { audit } from '#services/audit'
import { enqueueMail } from '#services/mail_queue'
import { appLink, auditAction, newToken, type Actor } from '#services/portal_invitations'

/*
| Staff accounts (/staff and `node ace staff:deactivate`): invite, change a
| role, deactivate, reactivate; and the invited person choosing a password.
|
| The rules are checked inside the transaction that makes the change, with
| the rows they depend on locked, so two requests at once cannot together
| break them (e.g. two admins demoting the last two ceos):
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

export const staffInvitationPath = (token: string) => `/staff/invitations/${token}`

/** The signed-in staff member acting on /staff. */
export function staffActor(ctx: HttpContext): Actor {
  return { kind: 'staff', staffId: ctx.auth.use('staff').user!.id, ctx }
}

/**
 * Locks every active ceo (in id order, so concurrent changes queue instead of
 * deadlocking), then the acting and target accounts, and returns them fresh.
 */
async function lockForChange(trx: TransactionClientContract, targetId: number, actor: Actor) {
  const ceos = await trx.rawQuery(
    `select id from staff_users where role = 'ceo' and is_active order by id for update`
  )
  const target = await StaffUser.query({ client: trx }).where('id', targetId).forUpdate().first()
  if (!target) throw new StaffAccountProblem('account', 'That staff account does not exist.')
  let actorRole: StaffRole | null = null
  if (actor.kind === 'staff') {
    const acting = await StaffUser.query({ client: trx }).where('id', actor.staffId).first()
    // Roles may have changed since the page was opened: the rule uses the role now.
    if (!acting || !acting.isActive || !['ceo', 'admin'].includes(acting.role)) {
      throw new StaffAccountProblem('account', 'Your account may no longer manage staff accounts.')
    }
    actorRole = acting.role
  }
  return { target, actorRole, activeCeoIds: (ceos.rows as { id: number }[]).map((row) => Number(row.id)) }
}

function assertMayManage(actor: Actor, actorRole: StaffRole | null, target: StaffUser, newRole?: StaffRole) {
  if (actor.kind !== 'staff') return
  if (actor.staffId === target.id) {
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

function assertNotLastCeo(target: StaffUser, activeCeoIds: number[]) {
  if (target.role === 'ceo' && target.isActive && activeCeoIds.length <= 1) {
    throw new StaffAccountProblem(
      'role',
      `${target.name} is the only active practice owner. Make someone else a practice owner first.`
    )
  }
}

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
export async function inviteStaff(input: InviteStaffInput, by: Actor) {
  const email = input.email.trim().toLowerCase()
  const { token, tokenHash } = newToken()
  // Nobody knows this password; it only fills the column until the person chooses one.
  const placeholder = await hash.use('scrypt').make(randomBytes(32).toString('base64url'))

  const staff = await db.connection('machinery').transaction(async (trx) => {
    if (by.kind === 'staff') {
      const acting = await StaffUser.query({ client: trx }).where('id', by.staffId).first()
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
    await issueInvitation(trx, created, token, tokenHash)
    return created
  })
  await auditAction(by, 'staff_account.invited', { detail: { staffId: staff.id, role: staff.role } })
  return staff
}

async function issueInvitation(trx: TransactionClientContract, staff: StaffUser, token: string, tokenHash: string) {
  await trx
    .from('one_time_tokens')
    .where({ staff_user_id: staff.id, purpose: 'staff_invite' })
    .whereNull('used_at')
    .update({ used_at: db.raw('now()') })
  await trx.insertQuery().table('one_time_tokens').insert({
    purpose: 'staff_invite',
    staff_user_id: staff.id,
    token_hash: tokenHash,
    expires_at: DateTime.now().plus({ hours: STAFF_INVITATION_HOURS }).toSQL(),
  })
  await enqueueMail(
    {
      template: 'staff_invitation',
      to: staff.email,
      subject: `Your staff account at ${practice.name}`,
      data: { name: staff.name, link: appLink(staffInvitationPath(token)), expiresInHours: STAFF_INVITATION_HOURS },
      clientId: null,
    },
    { client: trx }
  )
}

/** A new link for someone who has not chosen a password yet; the old link stops working. */
export async function resendStaffInvitation(staffId: number, by: Actor) {
  const { token, tokenHash } = newToken()
  await db.connection('machinery').transaction(async (trx) => {
    const { target, actorRole } = await lockForChange(trx, staffId, by)
    if (by.kind === 'staff' && actorRole === 'admin' && target.role === 'ceo') {
      throw new StaffAccountProblem('account', 'Only a practice owner can change a practice owner’s account.')
    }
    if (!target.isInvited || !target.isActive) {
      throw new StaffAccountProblem('account', `${target.name} has already chosen a password.`)
    }
    await issueInvitation(trx, target, token, tokenHash)
  })
  await auditAction(by, 'staff_account.invitation_resent', { detail: { staffId } })
}

export async function changeStaffRole(staffId: number, role: StaffRole, by: Actor) {
  const { before, after } = await db.connection('machinery').transaction(async (trx) => {
    const { target, actorRole, activeCeoIds } = await lockForChange(trx, staffId, by)
    assertMayManage(by, actorRole, target, role)
    if (target.role === role) return { before: role, after: role }
    if (role !== 'ceo') assertNotLastCeo(target, activeCeoIds)
    const previous = target.role
    target.role = role
    await target.useTransaction(trx).save()
    return { before: previous, after: role }
  })
  if (before !== after) {
    await auditAction(by, 'staff_account.role_changed', { detail: { staffId, from: before, to: after } })
  }
  return { changed: before !== after, roleLabel: ROLE_LABELS[after] }
}

/** Deactivates the account and ends every open session of it; everything it is named in stays. */
export async function deactivateStaff(staffId: number, by: Actor) {
  const staff = await db.connection('machinery').transaction(async (trx) => {
    const { target, actorRole, activeCeoIds } = await lockForChange(trx, staffId, by)
    assertMayManage(by, actorRole, target)
    if (!target.isActive) throw new StaffAccountProblem('account', `${target.name} is already deactivated.`)
    assertNotLastCeo(target, activeCeoIds)
    target.isActive = false
    target.sessionEpoch += 1
    await target.useTransaction(trx).save()
    return target
  })
  await auditAction(by, 'staff_account.deactivated', { detail: { staffId } })
  return staff
}

export async function reactivateStaff(staffId: number, by: Actor) {
  const staff = await db.connection('machinery').transaction(async (trx) => {
    const { target, actorRole } = await lockForChange(trx, staffId, by)
    assertMayManage(by, actorRole, target)
    if (target.isActive) throw new StaffAccountProblem('account', `${target.name} is already active.`)
    target.isActive = true
    await target.useTransaction(trx).save()
    return target
  })
  await auditAction(by, 'staff_account.reactivated', { detail: { staffId } })
  return staff
}

/*
|--------------------------------------------------------------------------
| The invited person
|--------------------------------------------------------------------------
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
export async function acceptStaffInvitation(ctx: HttpContext, token: string, password: string) {
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
  if (staffId) await audit(ctx, { action: 'staff.invitation.accepted', actorKind: 'staff', actorId: staffId })
  return staffId
}
