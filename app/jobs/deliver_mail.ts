/*
| The mail delivery job (DESIGN §8), run by `node ace jobs:work`: claims
| due mail from the queue (app/services/mail_queue.ts) and sends it, at
| least once:
| - workers claim due rows with FOR UPDATE SKIP LOCKED and take a lease
|   (locked_until); a worker that dies mid-send leaves an expired lease,
|   and the row is claimed again;
| - every attempt sends the same Message-ID (made at enqueue), so a repeat
|   is recognisable;
| - a failed attempt is retried after MAIL_RETRY_BASE_SECONDS * 2^(n-1)
|   (capped), and after MAIL_MAX_ATTEMPTS the row is kept as 'failed'
|   until someone retries it (retryMail).
| - a mail is written in the language it was queued with (mail_messages.locale):
|   its templates get that language's catalogs as `i18n`, so `t()` and the
|   date globals speak it.
| All of it runs on the `machinery` pool.
*/
import { hostname } from 'node:os'
import edge from 'edge.js'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import PracticeSetting from '#models/practice_setting'
import practice from '#config/practice'
import { activeMailer, type MailerName } from '#config/mail'
import type { MailData, MailTemplate } from '#models/mail_message'
import { mailDeliveryProblem, mailI18n, retryDelaySeconds } from '#services/mail_queue'
import { isPortalLocale } from '#support/locales'

export interface DeliveryResult {
  sent: number
  failed: number
  retried: number
}

/** How long a claimed mail belongs to its worker; far longer than one batch with its SMTP timeouts. */
const LEASE_SECONDS = 300
const DEFAULT_BATCH = 10
const MAX_BATCH = 100

/** Raw row of the claim query. */
interface ClaimedRow {
  id: number
  template: MailTemplate
  recipient: string
  subject: string
  data: MailData
  message_id: string
  attempts: number
  locale: string
}

/**
 * One pass of a worker: claims up to `limit` due mails (queued and due, or
 * left 'sending' by a worker whose lease ran out), sends them, and records
 * each outcome. Returns what happened; zeros when nothing was due.
 */
export async function deliverDueMail(
  options: { limit?: number; workerId?: string } = {}
): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, failed: 0, retried: 0 }
  const mailer = activeMailer()
  if (!mailer) {
    reportMissingTransport()
    return result
  }
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_BATCH), 1), MAX_BATCH)
  const claimed = await claimDueMail(limit, options.workerId ?? defaultWorkerId())

  const outcomes = await Promise.allSettled(claimed.map((row) => deliverOne(mailer, row)))
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') result[outcome.value]++
  }
  // A database error while recording an outcome: the lease brings that mail back later.
  const rejected = outcomes.find((outcome) => outcome.status === 'rejected')
  if (rejected) throw (rejected as PromiseRejectedResult).reason
  return result
}

async function claimDueMail(limit: number, workerId: string): Promise<ClaimedRow[]> {
  const { rows } = await db.connection('machinery').rawQuery(
    `update mail_messages
        set status = 'sending',
            locked_until = now() + make_interval(secs => ?),
            locked_by = ?,
            attempts = attempts + 1
      where id in (
        select id from mail_messages
         where (status = 'queued' and next_attempt_at <= now())
            or (status = 'sending' and locked_until < now())
         order by id
         limit ?
         for update skip locked
      )
      returning id, template, recipient, subject, data, message_id, attempts, locale`,
    [LEASE_SECONDS, workerId.slice(0, 200), limit]
  )
  return rows as ClaimedRow[]
}

async function deliverOne(mailer: MailerName, row: ClaimedRow): Promise<keyof DeliveryResult> {
  let failure: unknown = null
  try {
    await send(mailer, row)
  } catch (error) {
    failure = error
  }
  return failure === null ? markSent(row) : markAttemptFailed(row, failure)
}

async function send(mailer: MailerName, row: ClaimedRow) {
  const discreet = isDiscreet(row)
  const neutralName = discreet ? await neutralSenderName(row) : null
  const { html, text } = await render(row, neutralName)
  const calendar = calendarOf(row.data)
  const sender = STAFF_TEMPLATES.has(row.template) ? null : await clientSender(neutralName)
  return mail.use(mailer).send((message) => {
    message.to(row.recipient).subject(row.subject).messageId(row.message_id).html(html).text(text)
    if (sender) message.from(sender.address, sender.name)
    if (calendar) message.icalEvent(calendar.content, { method: calendar.method, filename: calendar.filename })
  })
}

/** Mail to staff and operators keeps the configured sender; clients and guardians see the practice's chosen name. */
const STAFF_TEMPLATES = new Set<MailTemplate>(['staff_invitation', 'test_message', 'provider_cancellation_notice'])

/**
 * The practice's sender name (Portal Settings, DESIGN §13) on the configured
 * address; a discreet mail's neutral name instead. The address (the From
 * domain) cannot be neutral; the README says so.
 */
async function clientSender(neutralName: string | null) {
  const configured = mail.config.from
  if (!configured) return null
  const address = typeof configured === 'string' ? (configured.match(/<([^>]+)>/)?.[1] ?? configured) : configured.address
  return { address, name: neutralName ?? (await PracticeSetting.current()).mailSenderName }
}

/** Discreet mode (DESIGN §15), decided by mayContact when the mail was queued. Never for staff mail. */
function isDiscreet(row: ClaimedRow) {
  return row.data?.discreet === true && !STAFF_TEMPLATES.has(row.template)
}

/**
 * The name a discreet mail is sent as and signed with: the practice's
 * discreet sender name (Portal Settings), or the catalog's neutral word
 * ("Appointments"), never the practice's name.
 */
async function neutralSenderName(row: ClaimedRow) {
  const chosen = (await PracticeSetting.current()).senderName?.trim()
  return chosen || mailI18n(localeOf(row)).t('discreet.sender_fallback')
}

function localeOf(row: ClaimedRow) {
  return isPortalLocale(row.locale) ? row.locale : 'en'
}

/**
 * An appointment's calendar file, when the mail carries one: written when it
 * was queued (data.calendarIcs, with its METHOD) and purged with the rest of
 * the data once sent.
 */
function calendarOf(data: MailData | null) {
  const content = data?.calendarIcs
  if (typeof content !== 'string' || !content) return null
  const method: 'CANCEL' | 'REQUEST' = data?.calendarMethod === 'CANCEL' ? 'CANCEL' : 'REQUEST'
  return { content, method, filename: 'appointment.ics' }
}

/**
 * Both parts in the mail's language. Rendered here rather than by the mailer
 * (htmlView): the catalogs are shared with the templates the way a request
 * shares its own, so the layout and partials speak the mail's language too.
 */
async function render(row: ClaimedRow, neutralName: string | null) {
  const renderer = edge.share({
    i18n: mailI18n(localeOf(row)),
    // Discreet: the templates choose neutral words, and `practice.name` — in
    // the layout and any template — is the neutral name, never the practice's.
    discreet: neutralName !== null,
    ...(neutralName !== null ? { practice: { ...practice, name: neutralName } } : {}),
  })
  const state = { data: row.data ?? {}, subject: row.subject }
  const [html, text] = await Promise.all([
    renderer.render(`emails/${row.template}`, state),
    renderer.render(`emails/${row.template}_text`, state),
  ])
  return { html, text }
}

/*
| Outcomes are written only while this worker still holds the row (same
| attempt): if its lease ran out and another worker took the mail over, that
| worker's outcome counts.
*/
async function markSent(row: ClaimedRow): Promise<'sent'> {
  await db
    .connection('machinery')
    .from('mail_messages')
    .where({ id: row.id, status: 'sending', attempts: row.attempts })
    // The data held live links (tokens); a sent mail needs it no more.
    .update({ status: 'sent', sent_at: db.raw('now()'), locked_until: null, last_error: null, data: '{}' })
  return 'sent'
}

async function markAttemptFailed(row: ClaimedRow, error: unknown): Promise<'failed' | 'retried'> {
  const maxAttempts = Math.max(1, env.get('MAIL_MAX_ATTEMPTS', 8))
  const lastError = describeError(error)
  const current = db
    .connection('machinery')
    .from('mail_messages')
    .where({ id: row.id, status: 'sending', attempts: row.attempts })

  if (row.attempts >= maxAttempts || isPermanentRejection(error)) {
    await current.update({ status: 'failed', locked_until: null, last_error: lastError })
    logger.error(`Mail #${row.id} (${row.template}) failed after ${row.attempts} attempt(s): ${lastError}`)
    return 'failed'
  }
  const delay = retryDelaySeconds(row.attempts)
  await current.update({
    status: 'queued',
    locked_until: null,
    last_error: lastError,
    next_attempt_at: db.raw('now() + make_interval(secs => ?)', [delay]),
  })
  logger.warn(`Mail #${row.id} (${row.template}) attempt ${row.attempts} failed, next in ${delay}s: ${lastError}`)
  return 'retried'
}

/**
 * The server refused this message or its recipient for good (an SMTP 5xx
 * reply to the envelope or the data, e.g. 550 no such mailbox): sending it
 * again would only be refused again, so it fails now and waits for a person.
 * A connection or sign-in problem (the server's or ours) is retried.
 */
function isPermanentRejection(error: unknown) {
  const details = error as { code?: unknown; responseCode?: unknown } | null
  const code = Number(details?.responseCode)
  return (details?.code === 'EENVELOPE' || details?.code === 'EMESSAGE') && code >= 500 && code < 600
}

/** Class, code and a short message; addresses are masked (no PHI in the table or the log). */
function describeError(error: unknown) {
  if (!(error instanceof Error)) return 'Error: unknown failure'
  const details = error as Error & { code?: unknown; responseCode?: unknown }
  const label = [error.name, details.code, details.responseCode].filter(Boolean).join(' ')
  const message = error.message
    .replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '[address]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200)
  return `${label}: ${message}`
}

let missingTransportReported = false
/** Said once per process: a worker without SMTP idles, it does not crash and restart. */
function reportMissingTransport() {
  if (missingTransportReported) return
  missingTransportReported = true
  logger.error(mailDeliveryProblem()!)
}

function defaultWorkerId() {
  return `${hostname()}:${process.pid}`
}
