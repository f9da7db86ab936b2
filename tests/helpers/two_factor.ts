import { HOTP, Secret, TOTP } from 'otpauth'
import type StaffUser from '#models/staff_user'
import { totpSecretOf } from '#database/factories/main'

/*
| Two-factor codes in tests, computed from the secret an enrolled staff
| member's factory kept, as an authenticator app does. The app accepts each
| step once per account, so the last step used is remembered per secret (a
| new enrolment starts afresh).
*/
const lastStepUsed = new Map<string, number>()

/** The code for a 30-second step (now, or now + offset steps). */
export function totpCode(secret: string, step = TOTP.counter({ period: 30 })) {
  return HOTP.generate({ secret: Secret.fromBase32(secret), counter: step, digits: 6, algorithm: 'SHA1' })
}

/**
 * A code the app has not accepted yet for this account: the current step,
 * or the next one (within the ±1 window) when the current one was used; waits
 * for the clock when both were.
 */
export async function nextTotpCode(staff: StaffUser) {
  const secret = totpSecretOf(staff)
  for (;;) {
    const now = TOTP.counter({ period: 30 })
    // The server takes the step before, this one and the next. The step before
    // stops being taken when this period ends: near its end (a slow browser
    // test reached the server after it), start from this step instead.
    const secondsLeft = 30 - ((Date.now() / 1000) % 30)
    const earliest = secondsLeft > 8 ? now - 1 : now
    const step = Math.max(earliest, (lastStepUsed.get(secret) ?? -Infinity) + 1)
    if (step <= now + 1) {
      lastStepUsed.set(secret, step)
      return totpCode(secret, step)
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}
