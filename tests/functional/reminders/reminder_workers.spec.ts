import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { createAppointment, createClient, createStaff } from '#database/factories/main'
import { groupSmtpCapture } from '#tests/helpers/mail'
import type { SmtpCapture } from '#tests/helpers/smtp'

/** `node ace jobs:work` for real, as production runs it, with a reminder pass every second. */
function worker(capture: SmtpCapture) {
  const child = spawn(process.execPath, ['ace.js', 'jobs:work', '--interval', '0.2', '--reminders-every', '1'], {
    cwd: app.makePath(),
    env: { ...process.env, NODE_ENV: 'test', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(capture.port) },
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, output }))
  )
  return { child, exited, output: () => output }
}

test.group('Reminders: worker processes (node ace jobs:work)', (group) => {
  const smtp = groupSmtpCapture(group, { delayMs: 5 })

  test('two workers started before 200 appointments become due send exactly 200 reminders', async ({ assert }) => {
    const workers = [worker(smtp), worker(smtp)]
    try {
      await smtp.waitFor(() => workers.every((one) => one.output().includes('started')), 60_000)

      const batch = `due-${process.pid}-${Date.now()}`
      const providers = await Promise.all(Array.from({ length: 20 }, () => createStaff('clinician')))
      const first = DateTime.now().plus({ hours: 2 }).startOf('minute')
      const appointmentIds: number[] = []
      for (let i = 0; i < 200; i++) {
        const client = await createClient({ email: `${batch}-${i}@client.test` })
        const startsAt = first.plus({ hours: Math.floor(i / 20) })
        appointmentIds.push((await createAppointment(client, providers[i % 20], { startsAt })).id)
      }

      const mine = () => smtp.messages.filter((message) => message.to.some((address) => address.startsWith(batch)))
      await smtp.waitFor(() => mine().length >= 200, 90_000)
      // A moment more: a duplicate would arrive now.
      await new Promise((resolve) => setTimeout(resolve, 3000))

      const received = mine()
      assert.lengthOf(received, 200)
      assert.equal(new Set(received.map((message) => message.messageId)).size, 200)
      assert.equal(new Set(received.flatMap((message) => message.to)).size, 200)
      const rows = await db.connection('machinery').from('appointment_reminders').whereIn('appointment_id', appointmentIds)
      assert.lengthOf(rows, 200)
      assert.equal(new Set(rows.map((row) => row.mail_message_id)).size, 200)
    } finally {
      for (const one of workers) one.child.kill('SIGTERM')
      const results = await Promise.all(workers.map((one) => one.exited))
      for (const result of results) assert.equal(result.code, 0, result.output)
    }
  }).timeout(180_000)
})
