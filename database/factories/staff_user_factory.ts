import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import StaffUser, { TWO_FACTOR_ROLES, type StaffRole } from '#models/staff_user'
import { encryptTotpSecret, newTotpSecret } from '#services/two_factor'
import { hashedPassword } from '#database/factories/accounts'
import { unique } from '#database/factories/unique'

/*
| A ceo or admin made by createStaff is enrolled in two-factor sign-in (its
| secret stored encrypted, as the app stores it; the plain secret kept here
| so tests can compute codes: tests/helpers/two_factor.ts).
*/
const totpSecrets = new Map<number, string>()

/** The plain base32 TOTP secret of a staff member enrolled by a factory. */
export function totpSecretOf(staff: StaffUser) {
  const secret = totpSecrets.get(staff.id)
  if (!secret) throw new Error(`Staff #${staff.id} has no two-factor secret from the test factories`)
  return secret
}

/** Enrols a staff member as the app would: encrypted secret, confirmed. */
export async function enrolTwoFactor(staff: StaffUser, secret = newTotpSecret()) {
  staff.totpSecret = encryptTotpSecret(secret)
  staff.totpConfirmedAt = DateTime.now()
  staff.totpLastUsedStep = null
  await staff.save()
  totpSecrets.set(staff.id, secret)
  return secret
}

/** A ceo or admin is enrolled in two-factor sign-in unless `{ twoFactor: false }`. */
export async function createStaff(
  role: StaffRole = 'admin',
  attributes: Partial<StaffUser> = {},
  options: { twoFactor?: boolean } = {}
) {
  const email = `${unique(role)}@staff.test`
  const [row] = await db
    .table('staff_users')
    .insert({ name: unique('Staff'), email, password: await hashedPassword(), role, is_active: true })
    .returning('id')
  const staff = await StaffUser.findOrFail(row.id)
  if (Object.keys(attributes).length) await staff.merge(attributes).save()
  if (options.twoFactor ?? TWO_FACTOR_ROLES.includes(staff.role)) await enrolTwoFactor(staff)
  return staff
}
