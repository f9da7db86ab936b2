/*
| The mail queue (DESIGN §8): durable, in PostgreSQL, and the outbox too.
|
| Why our own table and not @adonisjs/queue@0.6.2: that package (database
| driver, @boringnode/queue) dispatches on its own connection and has no way
| to enqueue inside a Lucid transaction. A mail queued that way can be lost
| (crash between commit and dispatch) or sent for a change that rolled back
| (dispatch before commit). Here enqueueing is one INSERT into
| `mail_messages`, so an invitation and its mail commit together when the
| caller passes its transaction (`{ client: trx }`). The issue allows this
| choice: "otherwise a jobs table with FOR UPDATE SKIP LOCKED".
|
| Delivery is a worker job, at least once: app/jobs/deliver_mail.ts, run
| by `node ace jobs:work`.
|
| All of it runs on the `machinery` pool, never in a portal RLS transaction,
| except an enqueue that joins the caller's transaction on purpose.
*/
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import i18nManager from '@adonisjs/i18n/services/main'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import { activeMailer, messageIdHost } from '#config/mail'
import MailMessage, { MAIL_TEMPLATES, type MailTemplate } from '#models/mail_message'
import { isPortalLocale, type PortalLocale } from '#support/locales'

export type { MailTemplate }

export interface MailRequest {
  template: MailTemplate
  to: string
  subject: string
  /** What the template shows: names and links, never clinical data. */
  data: Record<string, string | number | boolean | null>
  /** The client the mail is about, for Portal Settings. */
  clientId?: number | null
  /** The language it is written in (mailLocale), subject included; English when not given. */
  locale?: PortalLocale
  /**
   * Discreet mode (mayContact said so): the worker sends it under the neutral
   * sender name and the templates leave out the practice. The subject must
   * already be neutral (discreetSubject).
   */
  discreet?: boolean
}

/*
| Whose language a mail is written in (DESIGN §16), decided when it is
| queued: the recipient's own account's; for someone without an account yet
| (an invitation), the invitation's; else the client's email language, which
| staff set on the client record. Staff mail is English.
*/
export function mailLocale(recipient: {
  account?: { language?: string | null } | null
  invitation?: { language?: string | null } | null
  client?: { emailLanguage?: string | null } | null
}): PortalLocale {
  for (const language of [recipient.account?.language, recipient.invitation?.language, recipient.client?.emailLanguage]) {
    if (isPortalLocale(language)) return language
  }
  return 'en'
}

/** The catalogs in one mail's language: its subject when queued, its body when sent. */
export function mailI18n(locale: PortalLocale) {
  return i18nManager.locale(locale)
}

/** A discreet mail's neutral subject (discreet.json): no practice, provider or appointment type. */
export function discreetSubject(template: MailTemplate, locale: PortalLocale) {
  return mailI18n(locale).t(`discreet.subjects.${template}`)
}

/** No wait between attempts grows beyond this. */
const MAX_BACKOFF_SECONDS = 6 * 60 * 60

/** One address, nothing that could add a recipient or a header. */
const PLAIN_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/

/**
 * Queues one mail: a single INSERT. Pass `{ client: trx }` to commit it with
 * the caller's own changes (a rolled-back transaction sends nothing). The
 * transaction must run as the app role, not a portal one (no grant there).
 */
export async function enqueueMail(
  request: MailRequest,
  options: { client?: QueryClientContract } = {}
): Promise<MailMessage> {
  if (!(MAIL_TEMPLATES as readonly string[]).includes(request.template)) {
    throw new Error(`Unknown mail template "${request.template}"`)
  }
  const recipient = String(request.to ?? '').trim().toLowerCase()
  if (!PLAIN_ADDRESS.test(recipient)) {
    throw new Error('A mail needs exactly one plain recipient address')
  }
  // One line: a subject never carries a header of its own.
  const subject = String(request.subject ?? '').replace(/[\r\n]+/g, ' ').trim()
  if (!subject) throw new Error('A mail needs a subject')
  if (request.locale !== undefined && !isPortalLocale(request.locale)) {
    throw new Error(`Unknown mail language "${request.locale}"`)
  }

  const client = options.client ?? db.connection('machinery')
  const [row] = await client
    .insertQuery()
    .table('mail_messages')
    .insert({
      template: request.template,
      recipient,
      subject: subject.slice(0, 300),
      data: JSON.stringify({ ...request.data, ...(request.discreet ? { discreet: true } : {}) }),
      message_id: `<${randomUUID()}@${messageIdHost}>`,
      client_id: request.clientId ?? null,
      locale: request.locale ?? 'en',
    })
    .returning('*')
  return MailMessage.$createFromAdapterResult(row)!
}

/** A failed mail back to 'queued', due now, with a fresh count of attempts. No-op for other states. */
export async function retryMail(id: number): Promise<void> {
  await MailMessage.findOrFail(id)
  await db
    .connection('machinery')
    .from('mail_messages')
    .where('id', id)
    .where('status', 'failed')
    // A mail emptied by tokens:purge (its links expired) has nothing left to send.
    .whereRaw(`data->>'purged' is null`)
    .update({
      status: 'queued',
      attempts: 0,
      next_attempt_at: db.connection('machinery').raw('now()'),
      locked_until: null,
      last_error: null,
    })
}

/** Why mail cannot leave this process, or null when it can (for the worker and Portal Settings). */
export function mailDeliveryProblem(): string | null {
  if (activeMailer()) return null
  return (
    'Mail is not being sent: SMTP_HOST is not set. Queued mail stays queued until SMTP is ' +
    'configured (SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, SMTP_SECURE, MAIL_FROM).'
  )
}

/** Seconds before the next attempt after `attempts` failed ones: base, 2×base, 4×base, … */
export function retryDelaySeconds(attempts: number) {
  const base = Math.max(1, env.get('MAIL_RETRY_BASE_SECONDS', 30))
  return Math.min(base * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_SECONDS)
}
