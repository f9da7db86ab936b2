import { AppointmentActionLinkSchema } from '#database/schema'
import { DateTime } from 'luxon'
import OneTimeToken from '#models/one_time_token'

/**
 * An emailed "Confirm / I can't make it" link (DESIGN §17): bound to one
 * appointment, one recipient (a portal account, or the client's email when
 * the client has no account) and the start time it was issued for; it
 * expires at that start. Only the token's SHA-256 is stored.
 */
export default class AppointmentActionLink extends AppointmentActionLinkSchema {
  /** Link machinery: the app role's own pool, outside any client transaction. */
  static connection = 'machinery'

  /** The link a token carries while it may still be used (not used, not expired); null otherwise. */
  static findUsable(token: string) {
    return AppointmentActionLink.query()
      .where('token_hash', OneTimeToken.hashToken(token))
      .whereNull('used_at')
      .where('expires_at', '>', DateTime.now().toSQL()!)
      .first()
  }
}
