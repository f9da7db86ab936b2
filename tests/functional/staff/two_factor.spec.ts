import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { TOTP } from 'otpauth'
import StaffUser from '#models/staff_user'
import { decryptTotpSecret, replaceRecoveryCodes } from '#services/two_factor'
import { WebSession } from '#tests/helpers/web'
import { PASSWORD, createStaff, totpSecretOf } from '#database/factories/main'
import { runCommand } from '#tests/helpers/ace'
import { signInThroughForm } from '#tests/helpers/sign_in'
import { shiftableClock } from '#tests/helpers/clock'
import { totpCode } from '#tests/helpers/two_factor'
import { auditRows } from '#tests/helpers/onboarding'

/*
| Two-factor sign-in for staff over real HTTP: enrolment, the second step,
| codes never accepted twice, recovery codes, throttling, and the operator's
| reset command.
*/

async function passwordStep(staff: StaffUser, web = new WebSession()) {
  await web.get('/login')
  const response = await web.post('/login', { email: staff.email, password: PASSWORD })
  return { web, response }
}

async function codeStep(web: WebSession, code: string) {
  await web.get('/login/two-factor')
  return web.post('/login/two-factor', { code })
}

const now = () => TOTP.counter({ period: 30 })

test.group('Staff two-factor sign-in', () => {
  test('a ceo without two-factor is taken to enrolment and reaches nothing else until it is done', async ({ assert }) => {
    const ceo = await createStaff('ceo', {}, { twoFactor: false })
    const { web, response } = await passwordStep(ceo)
    assert.equal(response.location, '/staff/two-factor/setup')
    for (const path of ['/dashboard', '/clients', '/staff', '/audit-log', '/portal-settings']) {
      assert.equal((await web.get(path)).location, '/staff/two-factor/setup', path)
    }

    const setup = await web.get('/staff/two-factor/setup')
    assert.equal(setup.status, 200)
    assert.match(setup.text, /<svg role="img" aria-label="QR code[^"]*"[^>]*>/)
    assert.notInclude(setup.text, 'data:image')
    const secret = setup.text.match(/data-secret>([A-Z2-7 ]+)</)![1].replaceAll(' ', '')
    // Stored encrypted, never plain; a reload shows the same secret.
    const stored = await StaffUser.findOrFail(ceo.id)
    assert.notInclude(stored.totpSecret!, secret)
    assert.equal(decryptTotpSecret(stored.totpSecret), secret)
    assert.include((await web.get('/staff/two-factor/setup')).text, secret.slice(0, 4))

    const wrong = await web.post('/staff/two-factor/setup', { code: '000000' === totpCode(secret) ? '111111' : '000000' })
    assert.equal(wrong.location, '/staff/two-factor/setup')
    assert.include((await web.get('/staff/two-factor/setup')).text, 'That code did not match')

    const confirmed = await web.post('/staff/two-factor/setup', { code: totpCode(secret) })
    assert.equal(confirmed.status, 200)
    const codes = [...confirmed.text.matchAll(/data-recovery-code>([A-Z2-7]{5}-[A-Z2-7]{5})</g)].map((match) => match[1])
    assert.lengthOf(codes, 10)
    const rows = await db.from('staff_recovery_codes').where('staff_user_id', ceo.id)
    assert.lengthOf(rows, 10)
    for (const row of rows) assert.notInclude(codes.join(' '), row.code_hash)
    assert.isFalse(rows.some((row) => codes.includes(row.code_hash)))

    assert.equal((await web.get('/dashboard')).status, 200)
    assert.isNotNull((await StaffUser.findOrFail(ceo.id)).totpConfirmedAt)
    assert.isTrue((await auditRows('staff.two_factor.enrolled')).some((event) => event.actor_id === ceo.id))
    assert.equal((await web.get('/staff/two-factor/setup')).location, '/staff/two-factor')

    // Next time, the password is not enough.
    const next = await passwordStep(ceo)
    assert.equal(next.response.location, '/login/two-factor')
  })

  test('sign-in with a valid code; the same code is refused on reuse; nothing is open before the code', async ({ assert }) => {
    const admin = await createStaff('admin')
    const secret = totpSecretOf(admin)
    const { web, response } = await passwordStep(admin)
    assert.equal(response.location, '/login/two-factor')
    assert.equal((await web.get('/dashboard')).location, '/login', 'not signed in after the password alone')

    const code = totpCode(secret, now())
    assert.equal((await codeStep(web, code)).location, '/dashboard')
    assert.equal((await web.get('/dashboard')).status, 200)
    assert.isTrue((await auditRows('staff.sign_in')).some((event) => event.actor_id === admin.id && event.detail.secondFactor === 'totp'))

    const other = await passwordStep(admin)
    const reused = await codeStep(other.web, code)
    assert.equal(reused.location, '/login/two-factor')
    assert.include((await other.web.get('/login/two-factor')).text, 'That code did not work')
    assert.equal((await other.web.get('/dashboard')).location, '/login')
    // An earlier step than the last one used is refused too.
    assert.equal((await codeStep(other.web, totpCode(secret, now() - 1))).location, '/login/two-factor')
    assert.isTrue((await auditRows('staff.two_factor.failed')).some((event) => event.actor_id === admin.id))
    // The next step (within ±1) works.
    assert.equal((await codeStep(other.web, totpCode(secret, now() + 1))).location, '/dashboard')
  })

  test('a recovery code works once, in the same field', async ({ assert }) => {
    const ceo = await createStaff('ceo')
    const [code] = await replaceRecoveryCodes(ceo.id)
    const first = await passwordStep(ceo)
    assert.equal((await codeStep(first.web, code.toLowerCase().replace('-', ' '))).location, '/dashboard')
    const second = await passwordStep(ceo)
    assert.equal((await codeStep(second.web, code)).location, '/login/two-factor')
    assert.isTrue((await auditRows('staff.two_factor.recovery_code_used')).some((event) => event.actor_id === ceo.id && event.detail.remaining === 9))
  })

  test('wrong codes are throttled like passwords: after the limit even a right code waits', async ({ assert }) => {
    const admin = await createStaff('admin')
    const { web } = await passwordStep(admin)
    const right = totpCode(totpSecretOf(admin))
    const wrong = right === '123456' ? '654321' : '123456'
    for (let i = 0; i < 5; i++) await codeStep(web, wrong)
    assert.equal((await codeStep(web, right)).location, '/login/two-factor')
    assert.include((await web.get('/login/two-factor')).text, 'paused for a while')
    assert.isTrue((await auditRows('staff.two_factor.throttled')).some((event) => event.actor_id === admin.id))
  })

  test('the code step needs a password step first', async ({ assert }) => {
    const web = new WebSession()
    assert.equal((await web.get('/login/two-factor')).location, '/login')
    await web.get('/login')
    assert.equal((await web.post('/login/two-factor', { code: '123456' })).location, '/login')
  })

  test('two-factor is optional for a clinician, who can enrol from their account', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const web = await signInThroughForm(clinician)
    assert.include((await web.get('/staff/two-factor')).text, 'optional for your role')
    assert.equal((await web.get('/staff/two-factor/setup')).status, 200)
    assert.equal((await web.get('/dashboard')).status, 200, 'not forced')
  })

  test('node ace staff:reset-2fa resets it, ends sessions, and is audited', async ({ assert }) => {
    const admin = await createStaff('admin')
    const web = await signInThroughForm(admin)
    const result = await runCommand('staff:reset-2fa', ['--email', admin.email])
    assert.equal(result.code, 0, result.output)
    const fresh = await StaffUser.findOrFail(admin.id)
    assert.isNull(fresh.totpSecret)
    assert.isNull(fresh.totpConfirmedAt)
    assert.equal((await web.get('/dashboard')).location, '/login')
    assert.isTrue((await auditRows('operator.staff.two_factor_reset')).some((event) => event.detail.staffId === admin.id))
    // Back to enrolment after the password.
    assert.equal((await passwordStep(admin)).response.location, '/staff/two-factor/setup')
  })

  test('a ceo idle for more than 30 minutes is signed out', async ({ assert, cleanup }) => {
    const clock = shiftableClock()
    cleanup(() => clock.restore())
    const web = await signInThroughForm(await createStaff('ceo'))
    clock.forward({ minutes: 31 })
    assert.equal((await web.get('/dashboard')).location, '/login')
    assert.include((await web.get('/login')).text, 'signed out after 30 minutes without activity')
  })
})
