import { SMTPServer } from 'smtp-server'
import { simpleParser, type AddressObject } from 'mailparser'

/*
| A real SMTP server on loopback for tests (not the mailer's fake): the app
| sends to it exactly as it would to a production relay, and every message
| received is parsed and kept. Stop it to simulate an outage; start() again
| reopens the same port, so the app's settings stay valid.
*/
export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[]
  from: string
  subject: string
  text: string
  html: string
  /** As in the header, with its angle brackets: `<uuid@host>`. */
  messageId: string
  headers: Map<string, unknown>
  receivedAt: Date
  /** The message as it crossed the wire (MIME, encoded parts included). */
  raw: string
  /** Attachments and calendar parts, decoded. */
  attachments: { contentType: string; filename: string | null; content: string }[]
}

export interface SmtpCaptureOptions {
  delayMs?: number
  refuse?: (address: string) => number | null
}

export class SmtpCapture {
  readonly messages: ReceivedMail[] = []
  port = 0
  #server: SMTPServer | null = null

  /**
   * `delayMs` holds each message before accepting it: a slow server, for
   * concurrency tests. `refuse` answers chosen recipients with an SMTP reply
   * code (e.g. 550 no such mailbox, 450 mailbox busy).
   */
  constructor(private options: SmtpCaptureOptions = {}) {}

  get running() {
    return this.#server !== null
  }

  async start() {
    if (this.#server) return
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      disableReverseLookup: true,
      maxAllowedUnauthenticatedCommands: false,
      logger: false,
      closeTimeout: 500,
      onRcptTo: (address, _session, callback) => {
        const code = this.options.refuse?.(address.address.toLowerCase())
        if (!code) return callback()
        callback(Object.assign(new Error(`Refused by the test server (${code})`), { responseCode: code }))
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('error', callback)
        stream.on('end', async () => {
          try {
            const raw = Buffer.concat(chunks)
            const parsed = await simpleParser(raw)
            if (this.options.delayMs) await new Promise((done) => setTimeout(done, this.options.delayMs))
            this.messages.push({
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
              from: addressList(parsed.from),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
              headers: parsed.headers as Map<string, unknown>,
              receivedAt: new Date(),
              raw: raw.toString('utf8'),
              attachments: parsed.attachments.map((attachment) => ({
                contentType: attachment.contentType,
                filename: attachment.filename ?? null,
                content: attachment.content.toString('utf8'),
              })),
            })
            callback()
          } catch (error) {
            callback(error as Error)
          }
        })
      },
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    const address = server.server.address()
    if (address && typeof address === 'object') this.port = address.port
    this.#server = server
  }

  /** Closes the port: connections are refused until start() again. */
  async stop() {
    const server = this.#server
    if (!server) return
    this.#server = null
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Messages to one address (envelope recipient). */
  to(address: string) {
    return this.messages.filter((mail) => mail.to.includes(address.toLowerCase()))
  }

  /** Waits until `predicate` holds for the messages received so far, and returns them. */
  async waitFor(predicate: (messages: ReceivedMail[]) => boolean, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs
    while (!predicate(this.messages)) {
      if (Date.now() > deadline) {
        throw new Error(`SMTP capture: condition not met within ${timeoutMs} ms (${this.messages.length} messages received)`)
      }
      await new Promise((done) => setTimeout(done, 25))
    }
    return this.messages
  }
}

function addressList(value: AddressObject | AddressObject[] | undefined) {
  if (!value) return ''
  return (Array.isArray(value) ? value : [value]).map((item) => item.text).join(', ')
}
