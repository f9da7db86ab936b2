import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import ClientUser from '#models/client_user'
import ClientUserLink, { type AccessLevel, type Relationship } from '#models/client_user_link'
import PracticeSetting from '#models/practice_setting'
import { practiceNow } from '#support/practice_time'
import OneTimeToken from '#models/one_time_token'
import PortalInvitation from '#models/portal_invitation'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'

/*
| The invited person spends the emailed link. Account machinery: the app
| role on the machinery pool, never a client's RLS transaction.
*/

export type AcceptOutcome =
  | { outcome: 'accepted'; account: ClientUser; invitation: PortalInvitation }
  /** The link is expired, revoked, used, locked or unknown: one answer for all. */
  | { outcome: 'invalid' }
  /** The email already has an account: sign in to it first; the link is not spent. */
  | { outcome: 'sign_in_first' }

/**
 * Spends the link and links the client to a portal account, in one
 * transaction: a new account with this password, or (`account`) the signed-in
 * account the invitation's email belongs to. Of two submissions at once,
 * exactly one wins the conditional UPDATE; the other finds the link used.
 */
export async function acceptInvitation(
  token: string,
  as: { password: string } | { account: ClientUser },
  actor: Actor
): Promise<AcceptOutcome> {
  const pending = await PortalInvitation.findUsableByToken(token)
  if (!pending) return { outcome: 'invalid' }

  const existing = 'account' in as ? as.account : null
  if (existing ? existing.email !== pending.email : await ClientUser.findBy('email', pending.email)) {
    return { outcome: 'sign_in_first' }
  }
  // Hashed before the transaction, so the invitation's row is locked only briefly.
  const passwordHash = 'password' in as ? await hash.use('scrypt').make(as.password) : null
  // A parent's new link to a teen starts at `appointments` (DESIGN §14); staff widen it explicitly.
  const { teenAge } = await PracticeSetting.current()
  const level = ClientUserLink.defaultLevel(pending.relationship as Relationship, pending.client, teenAge, practiceNow())

  let accepted: AcceptOutcome
  try {
    accepted = await db.connection('machinery').transaction(async (trx) => {
      const spent = await spendInvitation(trx, token)
      if (!spent) return { outcome: 'invalid' } as const

      const accountId =
        existing?.id ??
        (await createAccount(trx, {
          email: spent.email,
          password: passwordHash!,
          displayName: spent.recipient_name ?? pending.client.displayFirstName,
          language: spent.language,
        }))
      await trx.from('portal_invitations').where('id', spent.id).update({ accepted_by_id: accountId })
      await linkClient(trx, accountId, spent.client_id, spent.relationship as Relationship, level)

      const account = await ClientUser.findOrFail(accountId, { client: trx })
      const invitation = await PortalInvitation.findOrFail(spent.id, { client: trx })
      return { outcome: 'accepted', account, invitation } as const
    })
  } catch (error) {
    // Someone made an account with this email a moment ago: the link stays unspent (rolled back).
    if ((error as { code?: string }).code === '23505' && !existing) return { outcome: 'sign_in_first' }
    throw error
  }
  if (accepted.outcome === 'accepted') {
    await auditBy(actor, {
      action: 'portal.invitation.accepted',
      actorKind: 'client_user',
      actorId: accepted.account.id,
      clientId: accepted.invitation.clientId,
      detail: { invitationId: accepted.invitation.id, newAccount: !existing },
    })
  }
  return accepted
}

/** The one conditional UPDATE that spends a link; the client must still be invitable. */
async function spendInvitation(trx: TransactionClientContract, token: string) {
  const result = await trx.rawQuery(
    `update portal_invitations i
        set accepted_at = now(), updated_at = now()
      where i.token_hash = ?
        and i.accepted_at is null and i.revoked_at is null and i.locked_at is null
        and i.expires_at > now()
        and exists (select 1 from clients c
                     where c.id = i.client_id and c.status = 'active' and c.date_of_birth is not null)
      returning i.*`,
    [OneTimeToken.hashToken(token)]
  )
  return (result.rows[0] ?? null) as {
    id: number
    client_id: number
    email: string
    relationship: string
    recipient_name: string | null
    language: string
  } | null
}

async function createAccount(
  trx: TransactionClientContract,
  values: { email: string; password: string; displayName: string; language: string }
) {
  const [row] = await trx
    .insertQuery()
    .table('client_users')
    .insert({
      email: values.email,
      password: values.password,
      display_name: values.displayName,
      // The invitation's language: onboarding continues in the one its email was written in.
      language: values.language,
      status: 'onboarding',
    })
    .returning('id')
  return Number(row.id)
}

/**
 * The account's link to the client, not verified yet. A live link that
 * exists already (a resent invitation) is kept as it is. An authorized
 * caregiver's link records the consent staff confirmed when inviting.
 */
async function linkClient(
  trx: TransactionClientContract,
  accountId: number,
  clientId: number,
  relationship: Relationship,
  level: AccessLevel
) {
  await trx.rawQuery(
    `insert into client_user_links (client_user_id, client_id, relationship, access_level, consent_recorded_at, created_at, updated_at)
     values (?, ?, ?, ?, ${relationship === 'authorized_caregiver' ? 'now()' : 'null'}, now(), now())
     on conflict (client_user_id, client_id) where ended_at is null do nothing`,
    [accountId, clientId, relationship, level]
  )
}
