import { OneTimeTokenSchema } from '#database/schema'

export type TokenPurpose = 'password_reset' | 'email_change' | 'staff_invite'

/** Password resets, email changes and staff invitations; only token hashes are stored. */
export default class OneTimeToken extends OneTimeTokenSchema {
  declare purpose: TokenPurpose
}
