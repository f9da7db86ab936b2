import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import StaffUser from '#models/staff_user'
import { runCommand } from '#tests/helpers/ace'

const PASSWORD_PROMPTS = ['Password (at least 12 characters)', 'Repeat the password']

/** Runs staff:create in-process, typing the password at both prompts. */
function staffCreateInProcess(args: string[], password: string) {
  return runCommand('staff:create', args, Object.fromEntries(PASSWORD_PROMPTS.map((title) => [title, password])))
}

/**
 * Runs `node ace staff:create …` as a real process with the password on
 * standard input: only a real process has a standard input to read and an
 * exit code of its own. The other tests answer the password prompts in-process.
 */
function staffCreate(args: string[], password: string) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['ace.js', 'staff:create', ...args, '--password-stdin'], {
      cwd: app.makePath(),
      env: { ...process.env, NODE_ENV: 'test' },
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('close', (code) => resolve({ code, output }))
    child.stdin.end(`${password}\n`)
  })
}

test.group('node ace staff:create', () => {
  test('creates an account with a lower-cased email and a hashed password', async ({ assert }) => {
    const email = `Owner-${Date.now()}@Practice.test`
    const result = await staffCreate(['--email', email, '--name', 'Practice Owner', '--role', 'ceo'], 'a-long-enough-password')
    assert.equal(result.code, 0, result.output)
    const staff = await StaffUser.findByOrFail('email', email.toLowerCase())
    assert.equal(staff.role, 'ceo')
    assert.notEqual(staff.password, 'a-long-enough-password')
    assert.isTrue(await StaffUser.verifyCredentials(email.toLowerCase(), 'a-long-enough-password').then(() => true))
  }).timeout(60_000)

  test('bad input exits non-zero with clear messages and creates nothing', async ({ assert }) => {
    const email = `bad-${Date.now()}@practice.test`
    const result = await staffCreateInProcess(['--email', email, '--name', 'X', '--role', 'boss'], 'short')
    assert.equal(result.code, 1)
    assert.include(result.output, 'role')
    assert.include(result.output, 'at least 12 characters')
    assert.isNull(await StaffUser.findBy('email', email))
  }).timeout(60_000)

  test('a duplicate email is refused', async ({ assert }) => {
    const email = `dup-${Date.now()}@practice.test`
    assert.equal((await staffCreateInProcess(['--email', email, '--name', 'First', '--role', 'admin'], 'a-long-enough-password')).code, 0)
    const second = await staffCreateInProcess(['--email', email, '--name', 'Second', '--role', 'admin'], 'a-long-enough-password')
    assert.equal(second.code, 1)
    assert.include(second.output, 'already been taken')
  }).timeout(60_000)
})
