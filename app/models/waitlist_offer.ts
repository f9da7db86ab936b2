import { WaitlistOfferSchema } from '#database/schema'
import { DateTime } from 'luxon'
import OneTimeToken from '#models/one_time_token'

export type WaitlistOfferStatus = 'open' | 'accepted' | 'missed' | 'expired' | 'withheld'

/**
 * An emailed offer of a freed slot (issue #22, DESIGN §17): bound to the
 * slot, one waitlist entry, one recipient (a portal account, or the client's
 * email when the client has no account) and the slot's start. Only the
 * token's SHA-256 is stored. A withheld offer has no token: mayContact said no.
 */
export default class WaitlistOffer extends WaitlistOfferSchema {
  /** Waitlist machinery: the app role's own pool, outside any client transaction. */
  static connection = 'machinery'
  static table = 'waitlist_offers'
  declare status: WaitlistOfferStatus

  /**
   * The offer a token names, whatever its state (its page says calmly that
   * the time was taken or has passed); null for an unknown token or one whose
   * link has expired.
   */
  static findByToken(token: string, now: DateTime = DateTime.now()) {
    return WaitlistOffer.query()
      .where('token_hash', OneTimeToken.hashToken(token))
      .where('expires_at', '>', now.toSQL()!)
      .first()
  }
}
