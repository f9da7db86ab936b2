import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { configProvider } from '@adonisjs/core'
import { Encryption, drivers } from '@adonisjs/core/encryption'
import { KeyObjectMessageVerifier } from '#services/message_verifier'

/*
| Signed cookies and URLs (issue #25): KeyObjectMessageVerifier must write
| the framework's text and accept exactly what the framework accepts.
*/
const SECRET = 'a-test-secret-of-thirty-two-chars'
const OTHER = 'another-test-secret-of-32-chars!!'
/** The framework's own verifier for this secret, as config/encryption.ts would build it. */
async function framework(secret: string) {
  const config = await configProvider.resolve(app, drivers.aes256cbc({ id: 'test', keys: [secret] }))
  return new Encryption(config as ConstructorParameters<typeof Encryption>[0]).getMessageVerifier()
}

test.group('Message verifier', () => {
  test('signs with the very text the framework writes, and each reads the other', async ({ assert }) => {
    const ours = new KeyObjectMessageVerifier([SECRET])
    const theirs = await framework(SECRET)
    for (const [payload, purpose] of [
      ['s3ss10n-id', 'careincite_session'],
      [{ id: 12, list: [1, 2] }, undefined],
      [42, 'signed_url'],
      ['ünïcödé ✓', 'x'],
    ] as const) {
      assert.equal(ours.sign(payload, undefined, purpose), theirs.sign(payload, undefined, purpose))
      assert.deepEqual(ours.unsign(theirs.sign(payload, undefined, purpose), purpose), payload)
      assert.deepEqual(theirs.unsign(ours.sign(payload, undefined, purpose), purpose), payload)
    }
    // With an expiry too (the text then holds a date, so compare what is read back).
    assert.equal(ours.unsign(theirs.sign('v', '1h', 'p'), 'p'), 'v')
    assert.equal(theirs.unsign(ours.sign('v', '1h', 'p'), 'p'), 'v')
  })

  test('refuses what the framework refuses: tampering, another purpose, another key, expiry, bad shapes', async ({ assert }) => {
    const ours = new KeyObjectMessageVerifier([SECRET])
    const theirs = await framework(SECRET)
    const signed = ours.sign('s3ss10n-id', undefined, 'careincite_session')
    const [encoded, signature] = signed.split('.')
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1)
    const expired = theirs.sign('v', -1, 'p')
    const candidates: [unknown, string | undefined][] = [
      [`${flip(encoded, 3)}.${signature}`, 'careincite_session'],
      [`${encoded}.${flip(signature, 10)}`, 'careincite_session'],
      [`${encoded}.${signature}A`, 'careincite_session'],
      [`${encoded}.${signature.slice(0, -1)}`, 'careincite_session'],
      [signed, 'another_purpose'],
      [signed, undefined],
      [new KeyObjectMessageVerifier([OTHER]).sign('s3ss10n-id', undefined, 'careincite_session'), 'careincite_session'],
      [expired, 'p'],
      [`${encoded}`, 'careincite_session'],
      [`${encoded}.${signature}.x`, 'careincite_session'],
      [`.${signature}`, 'careincite_session'],
      [`${encoded}=.${signature}`, 'careincite_session'],
      [12, 'careincite_session'],
      [null, 'careincite_session'],
    ]
    for (const [candidate, purpose] of candidates) {
      assert.isNull(theirs.unsign(candidate as string, purpose), `framework accepted ${String(candidate)}`)
      assert.isNull(ours.unsign(candidate, purpose), `ours accepted ${String(candidate)}`)
    }
    assert.throws(() => ours.sign(null), 'Cannot sign "null" value')
    assert.throws(() => new KeyObjectMessageVerifier(['short']), /16 characters/)
  })

  test('a rotated key still reads what the old one signed; the first key signs', async ({ assert }) => {
    const rotated = new KeyObjectMessageVerifier([OTHER, SECRET])
    assert.equal(rotated.unsign((await framework(SECRET)).sign('v', undefined, 'p'), 'p'), 'v')
    assert.equal(rotated.sign('v', undefined, 'p'), (await framework(OTHER)).sign('v', undefined, 'p'))
  })

  test('the app signs its cookies and URLs with it', async ({ assert }) => {
    const encryption = await app.container.make('encryption')
    assert.instanceOf(encryption.use().getMessageVerifier(), KeyObjectMessageVerifier)
    assert.instanceOf(encryption.getMessageVerifier(), KeyObjectMessageVerifier)
  })
})
