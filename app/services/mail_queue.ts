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
| Delivery is at least once:
| - workers claim due rows with FOR UPDATE SKIP LOCKED and take a lease
|   (locked_until); a worker that dies mid-send leaves an expired lease,
|   and the row is claimed again;
| - every attempt sends the same Message-ID (made at enqueue), so a repeat
|   is recognisable;
| - a failed attempt is retried after MAIL_RETRY_BASE_SECONDS * 2^(n-1)
|   (capped), and after MAIL_MAX_ATTEMPTS the row is kept as 'failed'
|   until someone retries it (retryMail).
|
| All of it runs on the `machinery` pool, never in a portal RLS transaction,
| except an enqueue that joins the caller's transaction on purpose.
*/
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import mail from '@adonisjs/mail/services/main'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import { activeMailer, messageIdHost, type MailerName } from '#config/mail'
import MailMessage, { MAIL_TEMPLATES, type MailData, type MailTemplate } from '#models/mail_message'

export type { MailTemplate }

export interface MailRequest {
  template: MailTemplate
  to: string
  subject: string
  /** What the template shows: names and links, never clinical data. */
  data: Record<string, string | number | boolean | null>
  /** The client the mail is about, for Portal Settings. */
  clientId?: number | null
}

export interface DeliveryResult {
  sent: number
  failed: number
  retried: number
}

/** How long a claimed mail belongs to its worker; far longer than one batch with its SMTP timeouts. */
const LEASE_SECONDS = 300
const DEFAULT_BATCH = 10
const MAX_BATCH = 100
/** No wait between attempts grows beyond this. */
const MAX_BACKOFF_SECONDS = 6 * 60 * 60

/** One address, nothing that could add a recipient or a header. */
const PLAIN_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/

/** Raw row of the claim query. */
interface ClaimedRow {
  id: number
  template: MailTemplate
  recipient: string
  subject: string
  data: MailData
  message_id: string
  attempts: number
}

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

  const client = options.client ?? db.connection('machinery')
  const [row] = await client
    .insertQuery()
    .table('mail_messages')
    .insert({
      template: request.template,
      recipient,
      subject: subject.slice(0, 300),
      data: JSON.stringify(request.data ?? {}),
      message_id: `<${randomUUID()}@${messageIdHost}>`,
      client_id: request.clientId ?? null,
    })
    .returning('*')
  return MailMessage.$createFromAdapterResult(row)!
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

/** A failed mail back to 'queued', due now, with a fresh count of attempts. No-op for other states. */
export async function retryMail(id: number): Promise<void> {
  await MailMessage.findOrFail(id)
  await db
    .connection('machinery')
    .from('mail_messages')
    .where('id', id)
    .where('status', 'failed')
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
      returning id, template, recipient, subject, data, message_id, attempts`,
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

function send(mailer: MailerName, row: ClaimedRow) {
  const state = { data: row.data ?? {}, subject: row.subject }
  return mail.use(mailer).send((message) => {
    message
      .to(row.recipient)
      .subject(row.subject)
      .messageId(row.message_id)
      .htmlView(`emails/${row.template}`, state)
      .textView(`emails/${row.template}_text`, state)
  })
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

/** Seconds before the next attempt after `attempts` failed ones: base, 2×base, 4×base, … */
export function retryDelaySeconds(attempts: number) {
  const base = Math.max(1, env.get('MAIL_RETRY_BASE_SECONDS', 30))
  return Math.min(base * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_SECONDS)
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
