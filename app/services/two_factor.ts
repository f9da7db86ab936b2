import encryption from '@adonisjs/core/services/encryption'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'
import { createHash, randomBytes } from 'node:crypto'
import practice from '#config/practice'
import signInConfig from '#config/sign_in'
import StaffUser from '#models/staff_user'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'

/*
| Two-factor sign-in for staff (TOTP, RFC 6238: SHA-1, 6 digits, 30 s).
|
| - The secret is stored encrypted with the app's encryption service (APP_KEY),
|   bound to a purpose so the ciphertext is useless anywhere else.
| - A code is accepted for the current step ±1 (clock drift), and only for a
|   step later than the last one accepted: one conditional UPDATE, so of two
|   requests with the same code at most one wins.
| - Ten recovery codes, random 10-character base32, stored as SHA-256 of the
|   normalised code; each one is spent by one conditional UPDATE.
| - Wrong codes are counted per staff account like wrong passwords, with the
|   same lockout (config/sign_in.ts).
*/

const PERIOD = 30
const WINDOW = 1
const SECRET_PURPOSE = 'staff_totp_secret'
export const RECOVERY_CODE_COUNT = 10
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function newTotpSecret() {
  return new Secret({ size: 20 }).base32
}

export function encryptTotpSecret(base32: string) {
  return encryption.encrypt(base32, undefined, SECRET_PURPOSE)
}

export function decryptTotpSecret(stored: string | null) {
  if (!stored) return null
  return encryption.decrypt<string>(stored, SECRET_PURPOSE) ?? null
}

function totpOf(staff: StaffUser, base32: string) {
  return new TOTP({
    issuer: `CareIncite ${practice.name}`,
    label: staff.email,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(base32),
  })
}

/** What an authenticator app needs: the otpauth:// URI as a server-rendered SVG QR code, and the secret for typing. */
export async function enrolmentDetails(staff: StaffUser) {
  const base32 = decryptTotpSecret(staff.totpSecret)
  if (!base32) throw new Error('No two-factor secret to show')
  const uri = totpOf(staff, base32).toString()
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return {
    // Inline SVG markup (CSP allows it; a data: image would not be), labelled for screen readers.
    qrSvg: svg.replace(
      '<svg ',
      '<svg role="img" aria-label="QR code to add this account to an authenticator app" width="200" height="200" class="qr-code" '
    ),
    secretGroups: base32.match(/.{1,4}/g)!.join(' '),
  }
}

/** The step a code matches (now ±1), or null. */
function matchingStep(staff: StaffUser, base32: string, code: string) {
  const totp = totpOf(staff, base32)
  const now = Date.now()
  const delta = totp.validate({ token: code, timestamp: now, window: WINDOW })
  if (delta === null) return null
  return totp.counter({ timestamp: now }) + delta
}

/** Records the step as used, only if it is later than the last one: false means the code was used already. */
async function spendStep(staffId: number, step: number, confirm: boolean) {
  const result = await db.connection('machinery').rawQuery(
    `update staff_users
        set totp_last_used_step = ?,
            totp_confirmed_at = ${confirm ? 'coalesce(totp_confirmed_at, now())' : 'totp_confirmed_at'},
            updated_at = now()
      where id = ? and totp_secret is not null
        and (totp_last_used_step is null or totp_last_used_step < ?)
      returning id`,
    [step, staffId, step]
  )
  return result.rows.length === 1
}

export const normaliseCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase()

export function recoveryCodeHash(code: string) {
  return createHash('sha256').update(normaliseCode(code)).digest('hex')
}

function newRecoveryCode() {
  const bytes = randomBytes(10)
  let code = ''
  for (const byte of bytes) code += BASE32[byte & 31]
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

export type CodeOutcome = 'totp' | 'recovery_code' | 'wrong' | 'locked'

/** Counts an attempt at a code for this account; false when it is locked for a while. */
async function mayTryCode(staffId: number) {
  try {
    await codeAttempts().consume(attemptsKey(staffId))
    return true
  } catch (error) {
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) return false
    throw error
  }
}

export function codeAttempts() {
  const window = `${signInConfig.lockoutMinutes} mins`
  return limiter.use({ requests: signInConfig.maxFailures, duration: window, blockDuration: window })
}

export const attemptsKey = (staffId: number) => `two_factor:staff:${staffId}`

/**
 * The second sign-in step: a code from the app (a later step than any used
 * before) or an unused recovery code, in the same field. Throttled per
 * account; every failure is audited.
 */
export async function verifySignInCode(staff: StaffUser, code: string, actor: Actor): Promise<CodeOutcome> {
  if (!(await mayTryCode(staff.id))) {
    await auditBy(actor, { action: 'staff.two_factor.throttled', actorKind: 'staff', actorId: staff.id })
    return 'locked'
  }
  const outcome = await checkCode(staff, code)
  if (outcome === 'wrong') {
    await auditBy(actor, { action: 'staff.two_factor.failed', actorKind: 'staff', actorId: staff.id })
    return outcome
  }
  await codeAttempts().delete(attemptsKey(staff.id))
  if (outcome === 'recovery_code') {
    const left = await db.connection('machinery').from('staff_recovery_codes').where('staff_user_id', staff.id).whereNull('used_at').count('* as n')
    await auditBy(actor, {
      action: 'staff.two_factor.recovery_code_used',
      actorKind: 'staff',
      actorId: staff.id,
      detail: { remaining: Number(left[0].n) },
    })
  }
  return outcome
}

async function checkCode(staff: StaffUser, code: string): Promise<'totp' | 'recovery_code' | 'wrong'> {
  const normalised = normaliseCode(code)
  const base32 = staff.hasTwoFactor ? decryptTotpSecret(staff.totpSecret) : null
  if (!base32) return 'wrong'
  if (/^\d{6}$/.test(normalised)) {
    const step = matchingStep(staff, base32, normalised)
    return step !== null && (await spendStep(staff.id, step, false)) ? 'totp' : 'wrong'
  }
  if (normalised.length === 10) {
    const spent = await db.connection('machinery').rawQuery(
      `update staff_recovery_codes set used_at = now()
        where staff_user_id = ? and code_hash = ? and used_at is null
        returning id`,
      [staff.id, recoveryCodeHash(normalised)]
    )
    return spent.rows.length === 1 ? 'recovery_code' : 'wrong'
  }
  return 'wrong'
}

/** Enrolment, first visit: a new secret, stored encrypted but not confirmed (a reload keeps it). */
export async function startEnrolment(staff: StaffUser) {
  if (staff.hasTwoFactor) return
  if (!decryptTotpSecret(staff.totpSecret)) {
    staff.totpSecret = encryptTotpSecret(newTotpSecret())
    staff.totpLastUsedStep = null
    await staff.save()
  }
}

/**
 * Enrolment, confirmation: the first code proves the app holds the secret.
 * Returns the ten recovery codes (shown once, stored hashed), or null for a
 * wrong code. Wrong codes count like sign-in attempts.
 */
export async function confirmEnrolment(staff: StaffUser, code: string, actor: Actor) {
  const base32 = staff.hasTwoFactor ? null : decryptTotpSecret(staff.totpSecret)
  if (!base32) return null
  if (!(await mayTryCode(staff.id))) return 'locked' as const
  const step = matchingStep(staff, base32, normaliseCode(code))
  if (step === null || !(await spendStep(staff.id, step, true))) {
    await auditBy(actor, { action: 'staff.two_factor.enrolment_failed', actorKind: 'staff', actorId: staff.id })
    return null
  }
  await codeAttempts().delete(attemptsKey(staff.id))
  const codes = await replaceRecoveryCodes(staff.id)
  await auditBy(actor, { action: 'staff.two_factor.enrolled', actorKind: 'staff', actorId: staff.id })
  return codes
}

/** Ten new recovery codes; the old ones stop working. */
export async function replaceRecoveryCodes(staffId: number, client = db.connection('machinery')) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  await client.transaction(async (trx) => {
    await trx.from('staff_recovery_codes').where('staff_user_id', staffId).delete()
    await trx.table('staff_recovery_codes').multiInsert(
      codes.map((code) => ({ staff_user_id: staffId, code_hash: recoveryCodeHash(code) }))
    )
  })
  return codes
}
