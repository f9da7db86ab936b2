import type { HttpContext } from '@adonisjs/core/http'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import env from '#start/env'
import practice from '#config/practice'
import Client from '#models/client'
import ClientUser from '#models/client_user'
import ClientUserLink, { type Relationship } from '#models/client_user_link'
import OneTimeToken from '#models/one_time_token'
import PortalInvitation, { MAX_VERIFY_ATTEMPTS } from '#models/portal_invitation'
import { audit } from '#services/audit'
import { enqueueMail } from '#services/mail_queue'

/*
| The life of a portal invitation, shared by Portal Settings and the
| `portal:*` commands: send, resend, revoke (staff or operator), accept and
| the identity check (the invited person).
|
| Account machinery: everything here runs as the app role on the machinery
| pool, never in a client's RLS transaction. The identity check compares the
| date of birth inside one UPDATE, so it never leaves the database.
*/

/** Who acts: a signed-in staff member (their request gives IP and agent) or an operator's command. */
export type Actor = { kind: 'staff'; staffId: number; ctx: HttpContext } | { kind: 'system' }

/** A problem with the input, tied to the form field (or command flag) it is about. */
export class InvitationProblem extends Error {
  constructor(
    readonly field: 'clientId' | 'email' | 'relationship' | 'recipientName' | 'consent' | 'invitation',
    message: string
  ) {
    super(message)
  }
}

export function invitationExpiryHours() {
  return env.get('INVITATION_EXPIRY_HOURS') ?? 72
}

/** The emailed secret: 256 random bits. Only its SHA-256 is stored. */
export function newToken() {
  const token = randomBytes(32).toString('base64url')
  return { token, tokenHash: OneTimeToken.hashToken(token) }
}

/** An absolute link for an email. */
export function appLink(path: string) {
  return `${env.get('APP_URL').replace(/\/+$/, '')}${path}`
}

export const invitationPath = (token: string) => `/portal/invitations/${token}`

/** Staff actions are `staff.*`, the same actions from the shell `operator.*`; details hold ids only. */
export function auditAction(
  actor: Actor,
  action: string,
  entry: { clientId?: number | null; detail?: Record<string, string | number | boolean | null> }
) {
  if (actor.kind === 'staff') {
    return audit(actor.ctx, { action: `staff.${action}`, actorKind: 'staff', actorId: actor.staffId, ...entry })
  }
  return audit(null, { action: `operator.${action}`, actorKind: 'system', ...entry })
}

/*
|--------------------------------------------------------------------------
| Staff and operators
|--------------------------------------------------------------------------
*/

export interface SendInvitationInput {
  clientId: number
  email: string
  relationship: Relationship
  recipientName?: string | null
  /** The adult client agreed to an authorized caregiver (required for that relationship). */
  consent?: boolean
  sentBy: Actor
}

/**
 * Checks the invitation may be sent, then writes it and its email in one
 * transaction (the email is an outbox row: both commit or neither does).
 */
export async function sendInvitation(input: SendInvitationInput) {
  const email = input.email.trim().toLowerCase()
  const recipientName = input.recipientName?.trim() || null
  const client = await Client.find(input.clientId)
  if (!client) throw new InvitationProblem('clientId', 'Please choose a client from the list.')
  assertInvitable(client)

  if (input.relationship === 'parent' && client.isAdultOn()) {
    throw new InvitationProblem(
      'relationship',
      `${client.fullName} is 18 or older, so a parent link would not work. Choose legal guardian or authorized caregiver, or invite the client themselves.`
    )
  }
  if (input.relationship !== 'self' && !recipientName) {
    throw new InvitationProblem('recipientName', 'Please enter the name of the person you are inviting.')
  }
  if (input.relationship === 'authorized_caregiver' && !input.consent) {
    throw new InvitationProblem(
      'consent',
      'An authorized caregiver can only be invited with the client’s consent. Please confirm the client has given it.'
    )
  }

  const holdsClient = await ClientUserLink.query()
    .withScopes((scopes) => scopes.live())
    .where('client_user_links.client_id', client.id)
    .whereHas('clientUser', (account) => account.where('email', email))
    .first()
  if (holdsClient) {
    throw new InvitationProblem('email', `This email already has portal access for ${client.fullName}.`)
  }
  const open = await PortalInvitation.query()
    .withScopes((scopes) => scopes.usable())
    .where({ clientId: client.id, email })
    .first()
  if (open) {
    throw new InvitationProblem(
      'email',
      `An invitation to this email for ${client.fullName} is still open. You can resend it from the list of invitations.`
    )
  }

  const { token, tokenHash } = newToken()
  const invitation = await db.connection('machinery').transaction(async (trx) => {
    const created = await PortalInvitation.create(
      {
        clientId: client.id,
        email,
        relationship: input.relationship,
        recipientName,
        tokenHash,
        expiresAt: DateTime.now().plus({ hours: invitationExpiryHours() }),
        sentById: input.sentBy.kind === 'staff' ? input.sentBy.staffId : null,
        sentCount: 1,
        lastSentAt: DateTime.now(),
      },
      { client: trx }
    )
    await enqueueInvitationMail(trx, created, client, token)
    return created
  })

  await auditAction(input.sentBy, 'invitation.sent', {
    clientId: client.id,
    detail: { invitationId: invitation.id },
  })
  return invitation
}

/** Only active clients with a date of birth on file (the identity check needs it) may be invited. */
function assertInvitable(client: Client) {
  if (client.status !== 'active') {
    throw new InvitationProblem(
      'clientId',
      `${client.fullName} is not an active client. Only active clients can have portal access.`
    )
  }
  if (!client.dateOfBirth) {
    throw new InvitationProblem(
      'clientId',
      `${client.fullName} has no date of birth on file. The portal asks for it to confirm who is signing up, so please add it on the client's page first.`
    )
  }
}

function enqueueInvitationMail(trx: TransactionClientContract, invitation: PortalInvitation, client: Client, token: string) {
  return enqueueMail(
    {
      template: 'portal_invitation',
      to: invitation.email,
      subject: `Your invitation to the ${practice.name} client portal`,
      data: {
        recipientName: invitation.recipientName ?? client.displayFirstName,
        practiceName: practice.name,
        link: appLink(invitationPath(token)),
        expiresInHours: invitationExpiryHours(),
      },
      clientId: client.id,
    },
    { client: trx }
  )
}

/**
 * A new link for an invitation: new token (the old one stops working),
 * expiry renewed, attempts reset. An invitation that was accepted or locked
 * before the identity check passed goes back to waiting, so the person can
 * open the new link (signing in to the account they already made) and try
 * the check again: this is how the practice unlocks a locked invitation.
 */
export async function resendInvitation(invitationId: number, by: Actor) {
  const { token, tokenHash } = newToken()
  const invitation = await db.connection('machinery').transaction(async (trx) => {
    const current = await PortalInvitation.query({ client: trx })
      .where('id', invitationId)
      .preload('client')
      .forUpdate()
      .first()
    if (!current) throw new InvitationProblem('invitation', 'That invitation does not exist.')
    if (!current.mayResend) {
      throw new InvitationProblem(
        'invitation',
        current.revokedAt
          ? 'This invitation was revoked. Please send a new invitation instead.'
          : 'This invitation is complete: the person has confirmed their identity.'
      )
    }
    assertInvitable(current.client)

    current.merge({
      tokenHash,
      expiresAt: DateTime.now().plus({ hours: invitationExpiryHours() }),
      sentCount: current.sentCount + 1,
      lastSentAt: DateTime.now(),
      verifyAttempts: 0,
      lockedAt: null,
      acceptedAt: null,
      acceptedById: null,
    })
    await current.save()
    await enqueueInvitationMail(trx, current, current.client, token)
    return current
  })

  await auditAction(by, 'invitation.resent', {
    clientId: invitation.clientId,
    detail: { invitationId: invitation.id },
  })
  return invitation
}

/**
 * Stops an invitation. If its link was already used, the account's link to
 * the client (not yet verified, so it never gave access) ends too.
 */
export async function revokeInvitation(invitationId: number, by: Actor) {
  const revoked = await db.connection('machinery').transaction(async (trx) => {
    const [row] = await trx
      .from('portal_invitations')
      .where('id', invitationId)
      .whereNull('revoked_at')
      .whereNull('verified_at')
      .update({ revoked_at: db.raw('now()'), updated_at: db.raw('now()') })
      .returning(['id', 'client_id', 'accepted_by_id'])
    if (!row) return null
    if (row.accepted_by_id) {
      await trx
        .from('client_user_links')
        .where({ client_user_id: row.accepted_by_id, client_id: row.client_id })
        .whereNull('ended_at')
        .whereNull('verified_at')
        .update({ ended_at: db.raw('now()'), updated_at: db.raw('now()') })
    }
    return row as { id: number; client_id: number }
  })
  if (!revoked) {
    throw new InvitationProblem('invitation', 'This invitation cannot be revoked: it is already revoked or complete.')
  }
  await auditAction(by, 'invitation.revoked', {
    clientId: revoked.client_id,
    detail: { invitationId: revoked.id },
  })
}

/*
|--------------------------------------------------------------------------
| The invited person
|--------------------------------------------------------------------------
*/

/** The invitation behind a link, if the link still works. Reading spends nothing. */
export async function usableInvitation(token: string) {
  if (!token || token.length > 100) return null
  return PortalInvitation.query()
    .withScopes((scopes) => scopes.usable())
    .where('tokenHash', OneTimeToken.hashToken(token))
    .preload('client')
    .first()
}

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
  ctx: HttpContext,
  token: string,
  as: { password: string } | { account: ClientUser }
): Promise<AcceptOutcome> {
  const pending = await usableInvitation(token)
  if (!pending) return { outcome: 'invalid' }

  const existing = 'account' in as ? as.account : null
  if (existing ? existing.email !== pending.email : await ClientUser.findBy('email', pending.email)) {
    return { outcome: 'sign_in_first' }
  }
  // Hashed before the transaction, so the invitation's row is locked only briefly.
  const passwordHash = 'password' in as ? await hash.use('scrypt').make(as.password) : null

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
        }))
      await trx.from('portal_invitations').where('id', spent.id).update({ accepted_by_id: accountId })
      await linkClient(trx, accountId, spent.client_id, spent.relationship as Relationship)

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
    await audit(ctx, {
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
  } | null
}

async function createAccount(
  trx: TransactionClientContract,
  values: { email: string; password: string; displayName: string }
) {
  const [row] = await trx
    .insertQuery()
    .table('client_users')
    .insert({
      email: values.email,
      password: values.password,
      display_name: values.displayName,
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
async function linkClient(trx: TransactionClientContract, accountId: number, clientId: number, relationship: Relationship) {
  await trx.rawQuery(
    `insert into client_user_links (client_user_id, client_id, relationship, consent_recorded_at, created_at, updated_at)
     values (?, ?, ?, ${relationship === 'authorized_caregiver' ? 'now()' : 'null'}, now(), now())
     on conflict (client_user_id, client_id) where ended_at is null do nothing`,
    [accountId, clientId, relationship]
  )
}

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
  ctx: HttpContext,
  account: ClientUser,
  dateOfBirth: string
): Promise<{ outcome: VerifyOutcome; clientId: number | null }> {
  const pending = await pendingVerification(account)
  if (!pending?.invitation) return { outcome: 'unavailable', clientId: pending?.link.clientId ?? null }
  const { link, invitation } = pending
  const answer = (outcome: VerifyOutcome) => ({ outcome, clientId: link.clientId })
  if (invitation.lockedAt || invitation.revokedAt) return answer('locked')

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
    return true
  })
  const event = { actorKind: 'client_user' as const, actorId: account.id, clientId: invitation.clientId }
  if (verified) {
    await audit(ctx, { ...event, action: 'portal.identity.verified', detail: { invitationId: invitation.id } })
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
  await audit(ctx, {
    ...event,
    action: 'portal.identity.failed',
    detail: { invitationId: invitation.id, attempts: row.verify_attempts },
  })
  if (row.locked_at) {
    await audit(ctx, { ...event, action: 'portal.invitation.locked', detail: { invitationId: invitation.id } })
    return answer('locked')
  }
  return answer('wrong')
}
