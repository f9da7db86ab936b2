import db from '@adonisjs/lucid/services/db'
import type ClientUser from '#models/client_user'
import ClientUserLink from '#models/client_user_link'
import PortalInvitation, { MAX_VERIFY_ATTEMPTS } from '#models/portal_invitation'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'
import { enqueueAccessNotice, recordRefusedAccessNotice, type NoticeOutcome } from '#actions/family/access_notice'

/*
| The identity check after an invitation was accepted. Account machinery:
| the app role, the machinery pool. The date of birth is compared inside
| one UPDATE, so it never leaves the database.
*/

export interface PendingVerification {
  link: ClientUserLink
  /** The accepted invitation whose identity check this link waits for; null while a resent link is unused. */
  invitation: PortalInvitation | null
}

/** The account's oldest live link still waiting for the identity check, with its invitation. */
export async function pendingVerification(account: ClientUser): Promise<PendingVerification | null> {
  // limit(1), not first(): withClient() fills `link.client` in an afterFetch hook.
  const [link] = await ClientUserLink.query()
    .where('client_user_links.client_user_id', account.id)
    .withScopes((scopes) => scopes.live())
    .whereNull('client_user_links.verified_at')
    .withScopes((scopes) => scopes.withClient())
    .orderBy('client_user_links.created_at', 'asc')
    .orderBy('client_user_links.id', 'asc')
    .limit(1)
  if (!link) return null
  const invitation = await PortalInvitation.query()
    .where({ acceptedById: account.id, clientId: link.clientId })
    .whereNotNull('acceptedAt')
    .whereNull('verifiedAt')
    .orderBy('acceptedAt', 'desc')
    .first()
  return { link, invitation }
}

export type VerifyOutcome = 'verified' | 'wrong' | 'locked' | 'unavailable'

/**
 * The identity check: the client's date of birth ('YYYY-MM-DD'). The
 * comparison happens inside the UPDATE, so the stored date never leaves the
 * database. Wrong answers are counted by the database, atomically: of any
 * number sent at once at most MAX_VERIFY_ATTEMPTS count, and the last one
 * locks the invitation.
 */
export async function verifyIdentity(
  account: ClientUser,
  dateOfBirth: string,
  actor: Actor
): Promise<{ outcome: VerifyOutcome; clientId: number | null }> {
  const pending = await pendingVerification(account)
  if (!pending?.invitation) return { outcome: 'unavailable', clientId: pending?.link.clientId ?? null }
  const { link, invitation } = pending
  const answer = (outcome: VerifyOutcome) => ({ outcome, clientId: link.clientId })
  if (invitation.lockedAt || invitation.revokedAt) return answer('locked')

  let notice: NoticeOutcome | null = null
  const verified = await db.connection('machinery').transaction(async (trx) => {
    const result = await trx.rawQuery(
      `update portal_invitations i
          set verified_at = now(), updated_at = now()
         from clients c
        where i.id = ? and c.id = i.client_id and c.date_of_birth = ?::date
          and i.verified_at is null and i.locked_at is null and i.revoked_at is null
        returning i.id`,
      [invitation.id, dateOfBirth]
    )
    if (!result.rows.length) return false
    await trx
      .from('client_user_links')
      .where('id', link.id)
      .whereNull('ended_at')
      .update({ verified_at: db.raw('now()'), updated_at: db.raw('now()') })
    // Someone else now has access to the client's information: the client hears of it (issue #20).
    if (link.relationship !== 'self') {
      const level = await trx.from('client_user_links').where('id', link.id).select('access_level').first()
      notice = await enqueueAccessNotice(trx, {
        clientId: link.clientId,
        kind: 'gained',
        personName: account.displayName,
        relationship: link.relationship,
        level: level.access_level,
      })
    }
    return true
  })
  const event = { actorKind: 'client_user' as const, actorId: account.id, clientId: invitation.clientId }
  if (verified) {
    await auditBy(actor, { ...event, action: 'portal.identity.verified', detail: { invitationId: invitation.id, notice } })
    await recordRefusedAccessNotice(actor, invitation.clientId, notice)
    return answer('verified')
  }

  const counted = await db.connection('machinery').rawQuery(
    `update portal_invitations
        set verify_attempts = verify_attempts + 1,
            locked_at = case when verify_attempts + 1 >= ? then now() else null end,
            updated_at = now()
      where id = ? and verified_at is null and locked_at is null and revoked_at is null
      returning verify_attempts, locked_at`,
    [MAX_VERIFY_ATTEMPTS, invitation.id]
  )
  const row = counted.rows[0] as { verify_attempts: number; locked_at: Date | null } | undefined
  if (!row) {
    // Another request finished the check (or locked it) at the same moment.
    const latest = await PortalInvitation.findOrFail(invitation.id)
    return answer(latest.verifiedAt ? 'verified' : 'locked')
  }
  await auditBy(actor, {
    ...event,
    action: 'portal.identity.failed',
    detail: { invitationId: invitation.id, attempts: row.verify_attempts },
  })
  if (row.locked_at) {
    await auditBy(actor, { ...event, action: 'portal.invitation.locked', detail: { invitationId: invitation.id } })
    return answer('locked')
  }
  return answer('wrong')
}
