import env from '#start/env'
import mail from '@adonisjs/mail/services/main'
import { deliverDueMail, type DeliveryResult } from '#jobs/deliver_mail'
import type { Group } from '@japa/runner/core'
import { SmtpCapture, type ReceivedMail, type SmtpCaptureOptions } from '#tests/helpers/smtp'

/*
| Mail in tests goes through a real SMTP server on loopback
| (tests/helpers/smtp.ts). The SMTP transport reads SMTP_HOST/SMTP_PORT when
| it is built (config/mail.ts), so pointing the app at a capture server is:
| set both in env (process.env too, which ace processes spawned by a test
| inherit), and drop the cached transport so the next send builds a new one.
*/
export async function useSmtpCapture(capture: SmtpCapture) {
  env.set('SMTP_HOST', '127.0.0.1')
  env.set('SMTP_PORT', capture.port)
  await mail.close('smtp')
}

/**
 * A capture server for one test group: listening and used by the app from
 * the group's start (mail other groups left due is delivered first, so it
 * is not counted here), stopped at its end.
 */
export function groupSmtpCapture(group: Group, options: SmtpCaptureOptions = {}) {
  const capture = new SmtpCapture(options)
  group.setup(async () => {
    await capture.start()
    await useSmtpCapture(capture)
    await deliverAll()
    return () => capture.stop()
  })
  return capture
}

/** Runs delivery passes in this process until one finds nothing due. */
export async function deliverAll(options: { limit?: number } = {}): Promise<DeliveryResult> {
  const total: DeliveryResult = { sent: 0, failed: 0, retried: 0 }
  for (let pass = 0; pass < 1000; pass++) {
    const result = await deliverDueMail({ limit: options.limit ?? 50, workerId: 'test-process' })
    total.sent += result.sent
    total.failed += result.failed
    total.retried += result.retried
    if (result.sent + result.failed + result.retried === 0) return total
  }
  throw new Error('deliverAll: mail kept coming due after 1000 passes')
}

/** The links in a received mail's text part, in order. */
export function linksIn(message: ReceivedMail) {
  return message.text.match(/https?:\/\/[^\s<>"']+/g) ?? []
}
