import { MailMessageSchema } from '#database/schema'
import { scope } from '@adonisjs/lucid/orm'
import type { PortalLocale } from '#support/locales'

export const MAIL_TEMPLATES = [
  'portal_invitation',
  'password_reset',
  'password_changed',
  'email_change_confirm',
  'email_change_notice',
  'portal_access_disabled',
  'staff_invitation',
  'test_message',
  'appointment_reminder',
  'appointment_notice',
  'provider_cancellation_notice',
  'access_notice',
  'appointment_request_update',
  'waitlist_offer',
] as const
export type MailTemplate = (typeof MAIL_TEMPLATES)[number]

export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const
export type MailStatus = (typeof MAIL_STATUSES)[number]

export const MAIL_STATUS_LABELS: Record<MailStatus, string> = {
  queued: 'Waiting to send',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Not delivered',
}

export type MailData = Record<string, string | number | boolean | null>

/**
 * One mail, from enqueue to delivery: the queue and the outbox
 * (app/services/mail_queue.ts).
 */
export default class MailMessage extends MailMessageSchema {
  /** Machinery: the app role's own pool, never a client's RLS transaction. */
  static connection = 'machinery'

  declare template: MailTemplate
  declare status: MailStatus
  /** The language it is written in, decided when it was queued (mailLocale). */
  declare locale: PortalLocale
  /** What the template renders (names, links); emptied once the mail is sent. */
  declare data: MailData

  /** Mail that will not be tried again unless someone retries it. */
  static failed = scope((query) => {
    query.where('mail_messages.status', 'failed')
  })

  /** Mail about one client (Portal Settings). */
  static forClient = scope((query, clientId: number) => {
    query.where('mail_messages.client_id', clientId)
  })

  static newestFirst = scope((query) => {
    query.orderBy('mail_messages.id', 'desc')
  })

  get statusLabel() {
    return MAIL_STATUS_LABELS[this.status] ?? this.status
  }
}
