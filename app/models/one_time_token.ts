import { OneTimeTokenSchema } from '#database/schema'
import { scope } from '@adonisjs/lucid/orm'
import { createHash, randomBytes } from 'node:crypto'
import { DateTime, type DurationLike } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

export type TokenPurpose = 'password_reset' | 'email_change' | 'staff_invite'

/** Password resets, email changes and staff invitations; only token hashes are stored. */
export default class OneTimeToken extends OneTimeTokenSchema {
  /** Account machinery: the app role's own pool, outside any client transaction. */
  static connection = 'machinery'

  declare purpose: TokenPurpose

  /** The stored form of an emailed token: its SHA-256, in hex. */
  static hashToken(token: string) {
    return createHash('sha256').update(token).digest('hex')
  }

  /** Not used yet and not expired. */
  static usable = scope((query) => {
    query.whereNull('one_time_tokens.used_at').where('one_time_tokens.expires_at', '>', DateTime.now().toSQL()!)
  })

  /** The token of one purpose that an emailed link carries (with `usable`: one that still works). */
  static carriedBy = scope((query, token: string, purpose: TokenPurpose) => {
    query.where('one_time_tokens.token_hash', OneTimeToken.hashToken(token)).where('one_time_tokens.purpose', purpose)
  })

  /** A new emailed secret: 256 random bits, with the hash that is stored instead of it. */
  static generate() {
    const token = randomBytes(32).toString('base64url')
    return { token, tokenHash: OneTimeToken.hashToken(token) }
  }

  /**
   * Retires the account's unused tokens of a purpose, so only the newest link
   * works. An owner id that matches no account (0) costs the same statement.
   */
  static retire(purpose: TokenPurpose, owner: TokenOwner, client: TransactionClientContract) {
    const [column, id] = ownerColumn(owner)
    return OneTimeToken.query({ client })
      .where(column, id)
      .where('purpose', purpose)
      .whereNull('usedAt')
      .update({ usedAt: DateTime.now().toSQL() })
  }

  /**
   * Issues a new token of a purpose for an account (a portal account or a
   * staff member) and retires the account's older unused ones of the same
   * purpose. Returns the plain token (for the email link) with its row; only
   * the hash is stored. Account machinery: runs as the app role.
   */
  static async issue(
    purpose: TokenPurpose,
    owner: TokenOwner,
    options: {
      expiresIn: DurationLike
      payload?: Record<string, unknown>
      /** A machinery transaction to join (e.g. with the mail that carries the link). */
      client?: TransactionClientContract
    }
  ) {
    const { token, tokenHash } = OneTimeToken.generate()
    // On the model's own connection (machinery), never a client's transaction.
    const issue = async (trx: TransactionClientContract) => {
      await OneTimeToken.retire(purpose, owner, trx)
      return OneTimeToken.create(
        {
          purpose,
          ...owner,
          tokenHash,
          payload: options.payload ?? null,
          expiresAt: DateTime.now().plus(options.expiresIn),
        },
        { client: trx }
      )
    }
    const record = options.client ? await issue(options.client) : await OneTimeToken.transaction(issue)
    return { token, record }
  }
}

/** Whose token it is: a portal account's or a staff member's. */
export type TokenOwner = { clientUserId: number } | { staffUserId: number }

function ownerColumn(owner: TokenOwner) {
  return 'clientUserId' in owner
    ? (['clientUserId', owner.clientUserId] as const)
    : (['staffUserId', owner.staffUserId] as const)
}
