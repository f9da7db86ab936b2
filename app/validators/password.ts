import vine from '@vinejs/vine'
import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common'

/** Shown next to every new-password field, on both sides, before anyone types. */
export const PASSWORD_RULE_TEXT =
  'Use at least 12 characters, and nothing easy to guess such as "password1234". A few unrelated words work well.'

export const COMMON_PASSWORD_MESSAGE =
  'This password is too easy to guess. Please choose another; a few unrelated words work well.'

/** zxcvbn scores 0–4; below this a password is refused. 3 means "safely unguessable" in its terms. */
const MIN_SCORE = 3
/**
 * zxcvbn's work grows with the length: only the first characters are judged.
 * A password longer than this is long enough that its start decides whether
 * it is a common one with something added.
 */
const CHECKED_LENGTH = 64

let matcher: ZxcvbnFactory | null = null
/** Built once, on first use (about 50 ms and a few MB: the common-password lists). */
function strengthMatcher() {
  matcher ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs })
  return matcher
}

/** True when the password is on the common lists or otherwise quick to guess. */
export function isEasyToGuess(password: string) {
  return strengthMatcher().check(password.slice(0, CHECKED_LENGTH)).score < MIN_SCORE
}

const hardToGuess = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string' || !field.isValid) return
  if (isEasyToGuess(value)) field.report(COMMON_PASSWORD_MESSAGE, 'hardToGuess', field)
})

/** A new password, on either side: at least 12 characters and not easy to guess. */
export const newPassword = () => vine.string().minLength(12).maxLength(256).use(hardToGuess())
