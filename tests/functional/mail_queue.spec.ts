import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import db from '@adonisjs/lucid/services/db'
import MailMessage from '#models/mail_message'
import { enqueueMail, retryMail, retryDelaySeconds, type MailRequest } from '#services/mail_queue'
import { deliverDueMail } from '#jobs/deliver_mail'
import type { SmtpCapture } from '#tests/helpers/smtp'
import { deliverAll, groupSmtpCapture, linksIn } from '#tests/helpers/mail'
import { createClient } from '#database/factories/main'
import { MailCaptureTransport, listCapturedMail, readCapturedEml, readCapturedMail } from '#services/mail_capture'
import { WebSession } from '#tests/helpers/web'
import { mkdtemp, rm } from 'node:fs/promises'

let counter = 0
/** An address no other test uses, so each test reads only its own mail. */
const uniqueAddress = (label: string) => `${label}-${process.pid}-${Date.now()}-${++counter}@Mail.Test`

const machinery = () => db.connection('machinery')

async function row(id: number) {
  return machinery().from('mail_messages').where('id', id).firstOrFail()
}

/** Seconds from the database's now() to a row's next_attempt_at. */
async function secondsUntilNextAttempt(id: number) {
  const { rows } = await machinery().rawQuery(
    'select extract(epoch from next_attempt_at - now())::float8 as seconds from mail_messages where id = ?',
    [id]
  )
  return rows[0].seconds as number
}

function invitation(to: string, overrides: Partial<MailRequest> = {}): MailRequest {
  return {
    template: 'portal_invitation',
    to,
    subject: 'You are invited to the client portal',
    data: {
      recipientName: 'Jordan',
      practiceName: 'Test Practice',
      link: 'http://127.0.0.1:3334/portal/invitations/tok_abc123',
      expiresInHours: 72,
    },
    ...overrides,
  }
}

/** Runs `node ace jobs:work …` for real, as an operator or the dev runner would. */
function queueWork(args: string[], capture: SmtpCapture) {
  const child = spawn(process.execPath, ['ace.js', 'jobs:work', ...args], {
    cwd: app.makePath(),
    env: { ...process.env, NODE_ENV: 'test', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(capture.port) },
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, output }))
  )
  return { child, exited }
}

test.group('Mail queue: delivery through a real SMTP server', (group) => {
  // Recipients named no-such-mailbox-… are refused for good (550), mailbox-busy-… for now (450).
  const smtp = groupSmtpCapture(group, {
    refuse: (address) => (address.startsWith('no-such-mailbox') ? 550 : address.startsWith('mailbox-busy') ? 450 : null),
  })

  group.each.setup(async () => {
    if (!smtp.running) await smtp.start()
  })

  test('an enqueued mail arrives with its stored Message-ID, subject, text and HTML', async ({ assert }) => {
    const to = uniqueAddress('invitee')
    const queued = await enqueueMail(invitation(to))

    assert.equal(queued.status, 'queued')
    assert.equal(queued.recipient, to.toLowerCase())
    assert.equal(queued.attempts, 0)
    assert.match(queued.messageId, /^<[0-9a-f-]{36}@127\.0\.0\.1>$/)

    const result = await deliverAll()
    assert.isAtLeast(result.sent, 1)

    const [message] = await smtp.waitFor(() => smtp.to(to).length === 1).then(() => smtp.to(to))
    assert.equal(message.messageId, queued.messageId)
    assert.equal(message.subject, 'You are invited to the client portal')
    assert.include(message.text, 'Hello Jordan,')
    assert.include(message.text, 'Test Practice has invited you')
    assert.include(message.text, 'This link works for 72 hours.')
    assert.deepEqual(linksIn(message), ['http://127.0.0.1:3334/portal/invitations/tok_abc123'])
    assert.include(message.html, 'href="http://127.0.0.1:3334/portal/invitations/tok_abc123"')
    assert.include(message.html, 'Set up your portal account')
    assert.include(message.from, 'no-reply@127.0.0.1')

    const sent = await MailMessage.findOrFail(queued.id)
    assert.equal(sent.status, 'sent')
    assert.equal(sent.attempts, 1)
    assert.isNotNull(sent.sentAt)
    assert.isNull(sent.lockedUntil)
    // The link carried a live token: a sent mail keeps no copy of it.
    assert.deepEqual(sent.data, {})
  })

  test('every template renders a text and an HTML part with the practice, and nothing clinical', async ({ assert }) => {
    const link = 'http://127.0.0.1:3334/some/link/tok_xyz'
    const requests: MailRequest[] = [
      invitation(uniqueAddress('t-invite'), {
        data: { recipientName: null, practiceName: 'Test Practice', link, expiresInHours: 72 },
      }),
      { template: 'password_reset', to: uniqueAddress('t-reset'), subject: 'Reset your password', data: { link, expiresInMinutes: 60 } },
      { template: 'password_changed', to: uniqueAddress('t-changed'), subject: 'Your password was changed', data: {} },
      { template: 'email_change_confirm', to: uniqueAddress('t-confirm'), subject: 'Confirm your new email', data: { link } },
      { template: 'email_change_notice', to: uniqueAddress('t-notice'), subject: 'Your sign-in email is changing', data: { newEmailMasked: 'j***@example.test' } },
      { template: 'portal_access_disabled', to: uniqueAddress('t-disabled'), subject: 'Portal access turned off', data: {} },
      { template: 'staff_invitation', to: uniqueAddress('t-staff'), subject: 'Your staff account', data: { name: 'Maya', link, expiresInHours: 48 } },
      { template: 'test_message', to: uniqueAddress('t-test'), subject: 'Test message', data: {} },
    ]
    for (const request of requests) await enqueueMail(request)
    await deliverAll()
    await smtp.waitFor(() => requests.every((request) => smtp.to(request.to).length === 1))

    for (const request of requests) {
      const [message] = smtp.to(request.to)
      assert.equal(message.subject, request.subject, request.template)
      assert.include(message.text, 'Test Practice', request.template)
      assert.include(message.html, 'Test Practice', request.template)
      assert.include(message.html, '<html lang="en">', request.template)
      assert.notMatch(message.text, /diagnos|session note|treatment|medication|\{\{|undefined|null/i, request.template)
      if ('link' in request.data) {
        assert.include(linksIn(message), link, request.template)
        assert.include(message.html, `href="${link}"`, request.template)
      }
    }
    assert.include(smtp.to(requests[4].to)[0].text, 'j***@example.test')
    assert.include(smtp.to(requests[6].to)[0].text, 'Hello Maya,')
    assert.include(smtp.to(requests[1].to)[0].text, 'for 60 minutes')
    // No name given: a plain greeting, not "Hello null".
    assert.match(smtp.to(requests[0].to)[0].text, /^Hello,\n/)
    assert.include(smtp.to(requests[7].to)[0].text, 'mail delivery works.\n\n-- \nTest Practice · (555) 000-0000')
  })

  test('a mail enqueued in a transaction is sent only if the transaction commits', async ({ assert }) => {
    const rolledBack = uniqueAddress('rolled-back')
    const committed = uniqueAddress('committed')

    await assert.rejects(() =>
      machinery().transaction(async (trx) => {
        await enqueueMail(invitation(rolledBack), { client: trx })
        throw new Error('the invitation could not be saved')
      })
    )
    await machinery().transaction(async (trx) => {
      await enqueueMail(invitation(committed), { client: trx })
    })

    assert.isNull(await machinery().from('mail_messages').where('recipient', rolledBack.toLowerCase()).first())
    await deliverAll()
    await smtp.waitFor(() => smtp.to(committed).length === 1)
    assert.lengthOf(smtp.to(rolledBack), 0)
  })

  test('with SMTP down the mail waits with back-off, then arrives once with the same Message-ID', async ({ assert }) => {
    const to = uniqueAddress('outage')
    const queued = await enqueueMail(invitation(to))
    await smtp.stop()

    const failedPass = await deliverAll()
    assert.equal(failedPass.sent, 0)
    assert.isAtLeast(failedPass.retried, 1)

    const waiting = await row(queued.id)
    assert.equal(waiting.status, 'queued')
    assert.equal(waiting.attempts, 1)
    assert.isNull(waiting.locked_until)
    assert.match(waiting.last_error, /ECONNREFUSED|ESOCKET|ECONNECTION/)
    assert.notInclude(waiting.last_error, to.toLowerCase())
    const wait = await secondsUntilNextAttempt(queued.id)
    assert.closeTo(wait, retryDelaySeconds(1), 5)
    assert.isAbove(wait, 0)

    // Not due yet: another pass leaves it alone even with SMTP back.
    await smtp.start()
    await deliverAll()
    assert.equal((await row(queued.id)).attempts, 1)
    assert.lengthOf(smtp.to(to), 0)

    await machinery().from('mail_messages').where('id', queued.id).update({ next_attempt_at: db.raw('now()') })
    await deliverAll()
    await smtp.waitFor(() => smtp.to(to).length === 1)
    // Give a stray duplicate the time to show up.
    await new Promise((done) => setTimeout(done, 200))
    const received = smtp.to(to)
    assert.lengthOf(received, 1)
    assert.equal(received[0].messageId, queued.messageId)

    const sent = await row(queued.id)
    assert.equal(sent.status, 'sent')
    assert.equal(sent.attempts, 2)
  })

  test('a recipient the server refuses for good fails at once; one refused for now is retried', async ({ assert }) => {
    const refused = await enqueueMail(invitation(uniqueAddress('no-such-mailbox')))
    const busy = await enqueueMail(invitation(uniqueAddress('mailbox-busy')))
    await deliverAll()

    const failed = await row(refused.id)
    assert.equal(failed.status, 'failed')
    assert.equal(failed.attempts, 1)
    assert.match(failed.last_error, /EENVELOPE 550/)
    assert.notInclude(failed.last_error, 'no-such-mailbox')

    const waiting = await row(busy.id)
    assert.equal(waiting.status, 'queued')
    assert.equal(waiting.attempts, 1)
    assert.match(waiting.last_error, /EENVELOPE 450/)
    assert.isAbove(await secondsUntilNextAttempt(busy.id), 0)
  })

  test('after MAIL_MAX_ATTEMPTS failures the mail is kept as failed, and retryMail makes it deliverable', async ({ assert }) => {
    const to = uniqueAddress('gives-up')
    const queued = await enqueueMail(invitation(to))
    await smtp.stop()

    const maxAttempts = env.get('MAIL_MAX_ATTEMPTS', 8)
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await machinery().from('mail_messages').where('id', queued.id).update({ next_attempt_at: db.raw('now()') })
      const result = await deliverDueMail({ limit: 50 })
      const current = await row(queued.id)
      assert.equal(current.attempts, attempt)
      if (attempt < maxAttempts) {
        assert.equal(current.status, 'queued')
        assert.isAtLeast(result.retried, 1)
        // Exponential: base, 2×base, 4×base, …
        assert.closeTo(await secondsUntilNextAttempt(queued.id), retryDelaySeconds(attempt), 5)
      } else {
        assert.equal(current.status, 'failed')
        assert.isAtLeast(result.failed, 1)
      }
    }
    assert.isAbove(retryDelaySeconds(3), retryDelaySeconds(2))

    const failed = await MailMessage.query().withScopes((scopes) => scopes.failed()).where('id', queued.id).firstOrFail()
    assert.equal(failed.status, 'failed')
    assert.isNotNull(failed.lastError)
    // A failed mail stays failed: passes skip it even once SMTP is back.
    await smtp.start()
    await deliverAll()
    assert.equal((await row(queued.id)).status, 'failed')
    assert.lengthOf(smtp.to(to), 0)

    await retryMail(queued.id)
    const retried = await row(queued.id)
    assert.equal(retried.status, 'queued')
    assert.equal(retried.attempts, 0)

    await deliverAll()
    await smtp.waitFor(() => smtp.to(to).length === 1)
    assert.equal(smtp.to(to)[0].messageId, queued.messageId)
    assert.equal((await row(queued.id)).status, 'sent')
  })

  test('an expired lease is claimed again; a live one is left to its worker', async ({ assert }) => {
    const crashed = await enqueueMail(invitation(uniqueAddress('crashed-worker')))
    const busy = await enqueueMail(invitation(uniqueAddress('busy-worker')))
    await machinery()
      .from('mail_messages')
      .where('id', crashed.id)
      .update({ status: 'sending', attempts: 1, locked_by: 'gone:1', locked_until: db.raw(`now() - interval '1 minute'`) })
    await machinery()
      .from('mail_messages')
      .where('id', busy.id)
      .update({ status: 'sending', attempts: 1, locked_by: 'alive:2', locked_until: db.raw(`now() + interval '5 minutes'`) })

    await deliverAll()
    await smtp.waitFor(() => smtp.to(crashed.recipient).length === 1)
    assert.equal(smtp.to(crashed.recipient)[0].messageId, crashed.messageId)
    const recovered = await row(crashed.id)
    assert.equal(recovered.status, 'sent')
    assert.equal(recovered.attempts, 2)
    assert.equal(recovered.locked_by, 'test-process')

    const untouched = await row(busy.id)
    assert.equal(untouched.status, 'sending')
    assert.equal(untouched.locked_by, 'alive:2')
    assert.lengthOf(smtp.to(busy.recipient), 0)
    // Tidy: nobody will finish it.
    await machinery().from('mail_messages').where('id', busy.id).update({ status: 'failed', locked_until: null })
  })

  test('forClient() lists one client\'s mail; bad requests are refused before anything is stored', async ({ assert }) => {
    const client = await createClient()
    const mine = await enqueueMail(invitation(uniqueAddress('scoped'), { clientId: client.id }))
    await enqueueMail(invitation(uniqueAddress('unscoped')))
    const listed = await MailMessage.query().withScopes((scopes) => scopes.forClient(client.id))
    assert.deepEqual(
      listed.map((mail) => mail.id),
      [mine.id]
    )

    await assert.rejects(() => enqueueMail(invitation('two@a.test, three@b.test')), /one plain recipient/)
    await assert.rejects(() => enqueueMail(invitation('x@y.test', { subject: '  ' })), /subject/)
    await assert.rejects(() => enqueueMail(invitation('x@y.test', { template: 'nope' as never })), /Unknown mail template/)
    const injected = await enqueueMail(invitation(uniqueAddress('subject'), { subject: 'Hi\r\nBcc: evil@x.test' }))
    assert.equal(injected.subject, 'Hi Bcc: evil@x.test')
    await deliverAll()
  })
})

test.group('Mail queue: worker processes (node ace jobs:work)', (group) => {
  // Each message takes a moment, so two workers really overlap.
  const smtp = groupSmtpCapture(group, { delayMs: 60 })

  test('two workers draining 40 mails deliver each exactly once, with 40 distinct Message-IDs', async ({ assert }) => {
    const batch = `drain-${process.pid}-${Date.now()}`
    const queued: MailMessage[] = []
    for (let i = 0; i < 40; i++) {
      queued.push(await enqueueMail({ template: 'test_message', to: `${batch}-${i}@mail.test`, subject: `Drain ${i}`, data: {} }))
    }
    const ids = queued.map((mail) => mail.id)

    const workers = [queueWork(['--once', '--batch', '3'], smtp), queueWork(['--once', '--batch', '3'], smtp)]
    const results = await Promise.all(workers.map((worker) => worker.exited))
    for (const result of results) assert.equal(result.code, 0, result.output)

    const received = smtp.messages.filter((message) => message.to.some((address) => address.startsWith(batch)))
    assert.lengthOf(received, 40)
    const messageIds = new Set(received.map((message) => message.messageId))
    assert.equal(messageIds.size, 40)
    assert.deepEqual([...messageIds].sort(), queued.map((mail) => mail.messageId).sort())
    const recipients = new Set(received.flatMap((message) => message.to))
    assert.equal(recipients.size, 40)

    const rows = await machinery().from('mail_messages').whereIn('id', ids)
    assert.isTrue(rows.every((mail) => mail.status === 'sent' && mail.attempts === 1), 'every mail sent on its first claim')
    // Both processes took part: SKIP LOCKED shared the rows, it did not serialise them.
    const workerIds = new Set(rows.map((mail) => mail.locked_by))
    assert.equal(workerIds.size, 2, `workers seen: ${[...workerIds].join(', ')}`)
  }).timeout(120_000)

  test('a polling worker sends mail as it comes due and stops cleanly on SIGTERM', async ({ assert }) => {
    const worker = queueWork(['--interval', '0.2'], smtp)
    const to = uniqueAddress('polled')
    const queued = await enqueueMail({ template: 'test_message', to, subject: 'Polled', data: {} })
    await smtp.waitFor(() => smtp.to(to).length === 1, 60_000)
    assert.equal(smtp.to(to)[0].messageId, queued.messageId)

    worker.child.kill('SIGTERM')
    const result = await worker.exited
    assert.equal(result.code, 0, result.output)
    assert.include(result.output, 'Mail worker stopped')
  }).timeout(90_000)
})

test.group('Mail capture (development without SMTP)', () => {
  test('captured mail is written as .eml with a summary the mailbox lists and shows', async ({ assert }) => {
    const directory = await mkdtemp(app.tmpPath('mail-capture-test-'))
    try {
      const transport = new MailCaptureTransport(directory, 'http://localhost:3333/dev/mailbox')
      const response = await transport.send({
        from: 'Practice <no-reply@practice.test>',
        to: ['someone@example.test'],
        subject: 'Reset your password',
        messageId: '<0b7e2c1a-1111-4222-8333-944455556666@practice.test>',
        text: 'Choose a new password:\nhttp://localhost:3333/portal/reset-password/tok',
        html: '<p>Choose a new password</p>',
      })
      assert.equal(response.messageId, '<0b7e2c1a-1111-4222-8333-944455556666@practice.test>')

      const [listed] = await listCapturedMail(directory)
      assert.match(listed.id, /^\d{8}T\d{9}Z-0b7e2c1a-1111-4222-8333-944455556666$/)
      assert.equal(listed.subject, 'Reset your password')
      assert.deepEqual(listed.to, ['someone@example.test'])
      assert.deepEqual(await readCapturedMail(directory, listed.id), listed)
      const eml = (await readCapturedEml(directory, listed.id))!.toString()
      assert.include(eml, 'Message-ID: <0b7e2c1a-1111-4222-8333-944455556666@practice.test>')
      assert.include(eml, 'Subject: Reset your password')

      // Only names the transport wrote can be opened.
      assert.isNull(await readCapturedMail(directory, '../../package'))
      assert.isNull(await readCapturedEml(directory, `${listed.id}/../x`))
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
  })

  test('the development mailbox does not exist outside development', async ({ assert }) => {
    const response = await new WebSession().get('/dev/mailbox')
    assert.equal(response.status, 404)
  })
})
