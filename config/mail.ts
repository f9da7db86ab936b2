import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/mail'
import { SMTPTransport } from '@adonisjs/mail/transports/smtp'
import type { SMTPConfig } from '@adonisjs/mail/types'
import practice from '#config/practice'
import { MailCaptureTransport } from '#services/mail_capture'

/*
| Mail goes out only through the queue worker (app/services/mail_queue.ts),
| which picks a mailer at send time:
| - `smtp` when SMTP_HOST is set (production, and development too);
| - `capture` in development without SMTP_HOST: files in tmp/mail, read at
|   /dev/mailbox;
| - none otherwise: mail stays queued and the worker says why.
|
| The SMTP settings are read from env when the transport is built, not
| once at boot, so the test suite can point the mailer at its own SMTP
| server (tests/helpers/mail.ts) after the app has started.
*/

export type MailerName = 'smtp' | 'capture'

export function smtpSettings(): SMTPConfig | null {
  const host = env.get('SMTP_HOST')
  if (!host) return null
  const secure = env.get('SMTP_SECURE', false)
  const username = env.get('SMTP_USERNAME')
  return {
    host,
    port: Number(env.get('SMTP_PORT') ?? (secure ? 465 : 587)),
    secure,
    auth: username ? { type: 'login', user: username, pass: env.get('SMTP_PASSWORD') ?? '' } : undefined,
    // A dead or silent server fails the attempt quickly; the queue retries later.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  }
}

/** The mailer the worker sends with now, or null when mail cannot leave this environment. */
export function activeMailer(): MailerName | null {
  if (env.get('SMTP_HOST')) return 'smtp'
  if (app.inDev) return 'capture'
  return null
}

const appUrl = new URL(env.get('APP_URL'))

/** The host part of every Message-ID (`<uuid@host>`). */
export const messageIdHost = appUrl.hostname

/** Where the development server shows captured mail (the dev server's own address). */
function devMailboxUrl() {
  const host = env.get('HOST')
  return `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${env.get('PORT')}/dev/mailbox`
}

const mailConfig = defineConfig({
  default: 'smtp',
  from: env.get('MAIL_FROM') ?? { name: practice.name, address: `no-reply@${appUrl.hostname}` },
  mailers: {
    smtp: () => {
      const settings = smtpSettings()
      if (!settings) throw new Error('SMTP_HOST is not set')
      return new SMTPTransport(settings)
    },
    capture: () => new MailCaptureTransport(app.tmpPath('mail'), devMailboxUrl()),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
