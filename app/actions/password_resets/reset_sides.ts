import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'
import env from '#start/env'
import ClientUser from '#models/client_user'
import StaffUser from '#models/staff_user'
import type { TokenOwner } from '#models/one_time_token'

/*
| Password recovery, the same on both sides. The answer to "send me a
| link" is the same whether or not the email has an account, and both cases
| do the same database work, so neither the page nor its timing tells who
| has one. The link is a hashed single-use token that works for an hour;
| using it ends every session of the account and sends a "your password
| was changed" email. Account machinery: the app role, the machinery pool.
*/

export const REQUESTS_PER_IP = { requests: 20, duration: '15 mins', blockDuration: '15 mins' } as const
/** A few links an hour per address: enough for a lost email, too few to flood an inbox. */
export const REQUESTS_PER_EMAIL = { requests: 3, duration: '1 hour' } as const

export function resetExpiryMinutes() {
  return env.get('PASSWORD_RESET_EXPIRY_MINUTES') ?? 60
}

/** What differs between the portal's accounts and the staff's. */
export interface ResetSide {
  name: 'portal' | 'staff'
  table: 'client_users' | 'staff_users'
  ownerColumn: 'client_user_id' | 'staff_user_id'
  /** The owner of a token, as the token model names it. */
  owner: (id: number) => TokenOwner
  /** SQL: the account may still sign in. */
  mayReset: string
  /** SQL run with the new password, beyond password and epoch. */
  extraUpdates: string
  actorKind: 'client_user' | 'staff'
  /** The route of the emailed link (and of the form it opens). */
  linkRoute: 'portal.password_resets.edit' | 'staff.password_resets.edit'
  /** Its accounts; a portal account has a language (its mails'), a staff one none (English). */
  findByEmail: (email: string) => Promise<{ id: number; email: string; language?: string } | null>
  /** SQL: the language of an account's mail. */
  languageSql: 'language' | `'en'`
}

export const portalResets: ResetSide = {
  name: 'portal',
  table: 'client_users',
  ownerColumn: 'client_user_id',
  owner: (id) => ({ clientUserId: id }),
  mayReset: `status <> 'disabled'`,
  extraUpdates: '',
  actorKind: 'client_user',
  linkRoute: 'portal.password_resets.edit',
  languageSql: 'language',
  findByEmail: async (email) => {
    const account = await ClientUser.findBy('email', email)
    return account && account.status !== 'disabled' ? account : null
  },
}

export const staffResets: ResetSide = {
  name: 'staff',
  table: 'staff_users',
  ownerColumn: 'staff_user_id',
  owner: (id) => ({ staffUserId: id }),
  mayReset: 'is_active',
  // An invited staff member who resets instead of accepting has now chosen a password.
  extraUpdates: 'password_set_at = coalesce(password_set_at, now()),',
  actorKind: 'staff',
  linkRoute: 'staff.password_resets.edit',
  languageSql: `'en'`,
  findByEmail: async (email) => {
    const staff = await StaffUser.findBy('email', email)
    return staff && staff.isActive ? staff : null
  },
}

/** False when the key has been used up (the limiter counts it atomically in the database). */
export async function consume(key: string, options: { requests: number; duration: string; blockDuration?: string }) {
  try {
    await limiter.use(options).consume(key)
    return true
  } catch (error) {
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) return false
    throw error
  }
}
