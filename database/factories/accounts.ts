import hash from '@adonisjs/core/services/hash'

/** The password of every account a factory makes. */
export const PASSWORD = 'a-long-test-password-42'

let passwordHash: Promise<string> | null = null

/*
| Accounts are inserted with this hash rather than saved through the model:
| the model's beforeSave hook (withAuthFinder) hashes the password with
| scrypt on every save, which costs more per account than the whole rest of
| a typical test's setup. That is why the account makers are plain functions
| and not Lucid factories.
*/
export function hashedPassword() {
  passwordHash ??= hash.make(PASSWORD)
  return passwordHash
}
