import { PortalInvitationSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { DateTime } from 'luxon'
import Client from '#models/client'
import StaffUser from '#models/staff_user'
import ClientUser from '#models/client_user'
import OneTimeToken from '#models/one_time_token'
import type { Relationship } from '#models/client_user_link'
import type { PortalLocale } from '#support/locales'

export type InvitationStatus = 'pending' | 'expired' | 'accepted' | 'revoked' | 'locked'

export const INVITATION_STATUS_LABELS: Record<InvitationStatus, string> = {
  pending: 'Pending',
  expired: 'Expired',
  accepted: 'Accepted',
  revoked: 'Revoked',
  locked: 'Locked',
}

/** After this many wrong dates of birth the invitation locks; the practice unlocks it by resending. */
export const MAX_VERIFY_ATTEMPTS = 5

/** Only the SHA-256 of the emailed token is stored. */
export default class PortalInvitation extends PortalInvitationSchema {
  /** The language staff chose: the invitation's mail, and the new account's. */
  declare language: PortalLocale
  /** Account machinery: the app role's own pool, outside any client transaction. */
  static connection = 'machinery'

  declare relationship: Relationship

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  @belongsTo(() => StaffUser, { foreignKey: 'sentById' })
  declare sentBy: BelongsTo<typeof StaffUser>

  @belongsTo(() => ClientUser, { foreignKey: 'acceptedById' })
  declare acceptedBy: BelongsTo<typeof ClientUser>

  static forClient = scope((query, clientId: number) => {
    query.where('portal_invitations.client_id', clientId)
  })

  /** The link in the email still works: not used, revoked, locked or expired. */
  static usable = scope((query) => {
    query
      .whereNull('portal_invitations.accepted_at')
      .whereNull('portal_invitations.revoked_at')
      .whereNull('portal_invitations.locked_at')
      .where('portal_invitations.expires_at', '>', DateTime.now().toSQL()!)
  })

  /** The invitation behind an emailed link, with its client, if the link still works. Reading spends nothing. */
  static async findUsableByToken(token: string) {
    if (!token || token.length > 100) return null
    return PortalInvitation.query()
      .withScopes((scopes) => scopes.usable())
      .where('tokenHash', OneTimeToken.hashToken(token))
      .preload('client')
      .first()
  }

  static newestFirst = scope((query) => {
    query.orderBy('portal_invitations.created_at', 'desc').orderBy('portal_invitations.id', 'desc')
  })

  /**
   * Where the invitation stands, from its timestamps. Locking happens after
   * acceptance (at the identity check), so it wins over "accepted"; a revoked
   * invitation stays revoked whatever happened before.
   */
  get status(): InvitationStatus {
    if (this.revokedAt) return 'revoked'
    if (this.lockedAt) return 'locked'
    if (this.acceptedAt) return 'accepted'
    if (this.expiresAt <= DateTime.now()) return 'expired'
    return 'pending'
  }

  get statusLabel() {
    return INVITATION_STATUS_LABELS[this.status]
  }

  /** Staff may resend until the identity check has passed, unless it was revoked. */
  get mayResend() {
    return this.revokedAt === null && this.verifiedAt === null
  }

  /** Staff may revoke until the identity check has passed. */
  get mayRevoke() {
    return this.revokedAt === null && this.verifiedAt === null
  }
}
