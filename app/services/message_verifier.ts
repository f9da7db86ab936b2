import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto'
import { MessageBuilder } from '@adonisjs/core/helpers'

/*
| Signs and checks messages exactly as the framework's MessageVerifier
| (@boringnode/encryption) does — the same text, so cookies and signed URLs
| made by either are read by the other — with the keys held as KeyObjects.
|
| Why: every request checks its signed session cookie and signs it again.
| On Node 24, `createHmac` given a key as a Buffer (as the framework keeps
| it) first tries whether the Buffer is a KeyObject, which throws and is
| caught inside Node: about 10 µs per HMAC against 2 µs with a KeyObject,
| and the framework runs four per request (sign; check = one HMAC, then a
| constant-time compare that HMACs both sides again). Here a check is one
| HMAC and a constant-time compare of the two signatures, whose length is
| public (43 characters).
|
| Kept by measurement (issue #25, README "Benchmark"): see the figure there.
*/
export class KeyObjectMessageVerifier {
  readonly #keys: KeyObject[]

  /** The same secrets as config/encryption.ts; the first signs, all are tried when checking. */
  constructor(secrets: string[]) {
    if (!secrets.length || secrets.some((secret) => secret.length < 16)) {
      throw new Error('Signing needs at least one key of 16 characters or more')
    }
    // The framework derives its signing key as the SHA-256 of the secret.
    this.#keys = secrets.map((secret) => createSecretKey(createHash('sha256').update(secret).digest()))
  }

  sign(payload: any, expiresIn?: string | number, purpose?: string) {
    if (payload === null || payload === undefined) throw new Error(`Cannot sign "${payload}" value`)
    const encoded = Buffer.from(new MessageBuilder().build(payload, expiresIn, purpose)).toString('base64url')
    return `${encoded}.${signature(this.#keys[0], encoded)}`
  }

  unsign<T = any>(payload: unknown, purpose?: string): T | null {
    if (typeof payload !== 'string') return null
    const parts = payload.split('.')
    if (parts.length !== 2) return null
    const [encoded, given] = parts
    if (!encoded || !given) return null
    const decoded = decodeBase64Url(encoded)
    if (decoded === null) return null

    const givenBytes = Buffer.from(given)
    for (const key of this.#keys) {
      const expected = Buffer.from(signature(key, encoded))
      if (expected.length === givenBytes.length && timingSafeEqual(expected, givenBytes)) {
        return new MessageBuilder().verify<T>(decoded, purpose)
      }
    }
    return null
  }
}

function signature(key: KeyObject, encoded: string) {
  return createHmac('sha256', key).update(encoded).digest('base64url')
}

/** Base64url text back to UTF-8, only in its one canonical spelling (as the framework checks). */
function decodeBase64Url(encoded: string) {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) return null
  const bytes = Buffer.from(encoded, 'base64url')
  return bytes.toString('base64url') === encoded ? bytes.toString('utf8') : null
}
