import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
| Queues a short test message, to check the mail set-up end to end:
|   node ace mail:send-test --to you@practice.example
|   node ace jobs:work --once       (or let the running worker send it)
*/
export default class MailSendTest extends BaseCommand {
  static commandName = 'mail:send-test'
  static description = 'Queue a test email (no client data) to check mail delivery'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Address to send the test message to' })
  declare to: string

  @flags.boolean({ description: 'Send it now in this process instead of leaving it to a worker' })
  declare now: boolean

  async run() {
    const { enqueueMail, mailDeliveryProblem } = await import('#services/mail_queue')
    const { deliverDueMail } = await import('#jobs/deliver_mail')
    const { default: MailMessage } = await import('#models/mail_message')
    if (!this.to) {
      this.logger.error('--to is required, e.g. --to you@practice.example')
      this.exitCode = 1
      return
    }
    let queued
    try {
      queued = await enqueueMail({ template: 'test_message', to: this.to, subject: 'Test message from CareIncite', data: {} })
    } catch (error) {
      this.logger.error((error as Error).message)
      this.exitCode = 1
      return
    }
    this.logger.success(`Queued mail #${queued.id} to ${queued.recipient} (Message-ID ${queued.messageId})`)

    const problem = mailDeliveryProblem()
    if (problem) this.logger.warning(problem)
    if (!this.now || problem) return

    // Passes until this mail has an outcome; other due mail goes out along the way.
    for (let pass = 0; pass < 50; pass++) {
      const result = await deliverDueMail()
      const mail = await MailMessage.findOrFail(queued.id)
      if (mail.status === 'sent') return this.logger.success('Sent.')
      if (mail.status === 'queued' || mail.status === 'failed') {
        this.logger.error(`Not sent: ${mail.lastError ?? 'unknown error'} (status ${mail.status})`)
        this.exitCode = 1
        return
      }
      if (result.sent + result.failed + result.retried === 0) break
    }
    this.logger.warning('Another worker is sending it; see its status in mail_messages.')
  }
}
