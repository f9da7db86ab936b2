import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import { MailResponse } from '@adonisjs/mail'
import type { MailTransportContract, NodeMailerMessage } from '@adonisjs/mail/types'

/*
| Development without SMTP: each message is written to tmp/mail as the
| .eml a server would have received, with a .json summary beside it that
| the development mailbox (/dev/mailbox) lists and shows. Never used in
| production (config/mail.ts offers it in development only).
*/

/** What the development mailbox shows of one captured message. */
export interface CapturedMail {
  id: string
  messageId: string
  from: string
  to: string[]
  subject: string
  date: string
  text: string
  html: string
}

/** Only names this transport wrote may be opened by id (no path tricks). */
const CAPTURE_ID = /^\d{8}T\d{9}Z-[a-z0-9-]{1,64}$/

export class MailCaptureTransport implements MailTransportContract {
  #composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })

  constructor(
    private directory: string,
    private mailboxUrl: string
  ) {}

  async send(message: NodeMailerMessage) {
    const info = await this.#composer.sendMail(message)
    const raw = info.message as Buffer
    const id = captureId(info.messageId)
    await mkdir(this.directory, { recursive: true })
    const summary: CapturedMail = {
      id,
      messageId: info.messageId,
      from: addressText(message.from),
      to: (message.to ?? []).map(addressText),
      subject: String(message.subject ?? ''),
      date: new Date().toISOString(),
      text: typeof message.text === 'string' ? message.text : '',
      html: typeof message.html === 'string' ? message.html : '',
    }
    await writeFile(join(this.directory, `${id}.eml`), raw)
    await writeFile(join(this.directory, `${id}.json`), JSON.stringify(summary, null, 2))

    const { default: logger } = await import('@adonisjs/core/services/logger')
    logger.info(`Mail captured: tmp/mail/${id}.eml (open ${this.mailboxUrl}/${id})`)
    return new MailResponse(info.messageId, info.envelope, info)
  }
}

/** Captured messages in a folder, newest first. */
export async function listCapturedMail(directory: string): Promise<CapturedMail[]> {
  let names: string[]
  try {
    names = await readdir(directory)
  } catch {
    return []
  }
  const ids = names
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .filter((id) => CAPTURE_ID.test(id))
    .sort()
    .reverse()
  const mails = await Promise.all(ids.map((id) => readCapturedMail(directory, id)))
  return mails.filter((mail): mail is CapturedMail => mail !== null)
}

export async function readCapturedMail(directory: string, id: string): Promise<CapturedMail | null> {
  if (!CAPTURE_ID.test(id)) return null
  try {
    return JSON.parse(await readFile(join(directory, `${id}.json`), 'utf8')) as CapturedMail
  } catch {
    return null
  }
}

export async function readCapturedEml(directory: string, id: string): Promise<Buffer | null> {
  if (!CAPTURE_ID.test(id)) return null
  try {
    return await readFile(join(directory, `${id}.eml`))
  } catch {
    return null
  }
}

/** A sortable, file-safe name: the capture time, then the Message-ID's unique part. */
function captureId(messageId: string) {
  const stamp = new Date().toISOString().replace(/[-:.]/g, '')
  const local = messageId.replace(/^<|>$/g, '').split('@')[0].toLowerCase().replace(/[^a-z0-9-]/g, '')
  return `${stamp}-${local.slice(0, 64) || 'mail'}`
}

function addressText(recipient: NodeMailerMessage['from']): string {
  if (!recipient) return ''
  if (typeof recipient === 'string') return recipient
  return recipient.name ? `${recipient.name} <${recipient.address}>` : recipient.address
}
