import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import { rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { auditCsvHeader, auditCsvLine } from '#support/audit_csv'

/*
| Exports the audit log of whole practice days (both included) as CSV:
|   node ace audit:export --from 2026-03-01 --to 2026-03-31 --out march.csv
| Without --out the CSV goes to standard output and every message to
| standard error, so the output can be piped as it is.
*/
export default class AuditExport extends BaseCommand {
  static commandName = 'audit:export'
  static description = 'Export the audit log of a range of days as CSV'
  static help = [
    'Days are whole days in the practice time zone; --from and --to are both included.',
    'Without --out the CSV is written to standard output.',
  ]
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'First day, YYYY-MM-DD (practice time zone)' })
  declare from: string

  @flags.string({ description: 'Last day, YYYY-MM-DD (practice time zone), included' })
  declare to: string

  @flags.string({ description: 'Write the CSV to this file instead of standard output' })
  declare out?: string

  async run() {
    const { auditExportValidator } = await import('#validators/audit_log')
    const { practiceDaysToUtc } = await import('#support/audit_range')
    const { default: AuditEvent } = await import('#models/audit_event')
    const { auditBy } = await import('#services/audit')
    const { SYSTEM_ACTOR } = await import('#support/actor')

    const [invalid, input] = await auditExportValidator.tryValidate({
      from: this.from,
      to: this.to,
      out: this.out,
    })
    if (invalid) {
      for (const { message } of invalid.messages as { message: string }[]) this.logger.error(message)
      this.logger.error('Nothing was exported.')
      this.exitCode = 1
      return
    }

    let target: CsvTarget
    try {
      target = input.out ? await FileTarget.open(input.out) : new StdoutTarget()
    } catch (error) {
      this.logger.error(`Cannot write to ${input.out}: ${reason(error)}. Nothing was exported.`)
      this.exitCode = 1
      return
    }

    let rows = 0
    try {
      await target.write(auditCsvHeader())
      for await (const batch of AuditEvent.batchesBetween(practiceDaysToUtc(input))) {
        await target.write(batch.map(auditCsvLine).join(''))
        rows += batch.length
      }
      await target.flush()
      // Recorded before the file takes its name: an export nobody can see in the trail is never left behind.
      await auditBy(SYSTEM_ACTOR, {
        action: 'operator.audit.exported',
        actorKind: 'system',
        detail: { from: input.from, to: input.to, rows },
      })
      await target.commit()
    } catch (error) {
      await target.discard()
      this.logger.error(`The export stopped: ${reason(error)}. Nothing was exported.`)
      this.exitCode = 1
      return
    }

    // To stderr: stdout may be carrying the CSV.
    const where = input.out ? ` to ${input.out}` : ''
    this.logger.logError(
      this.logger.prepareSuccess(`Exported ${rows} audit events from ${input.from} to ${input.to}${where}`)
    )
  }
}

interface CsvTarget {
  write(chunk: string): Promise<void>
  flush(): Promise<void>
  commit(): Promise<void>
  discard(): Promise<void>
}

/**
 * Writes that wait for the stream to drain when it asks to, so memory holds
 * one batch at most, and that stop at the stream's first error (a full
 * disk, a closed pipe) instead of crashing on an unheard 'error' event.
 */
abstract class StreamTarget implements CsvTarget {
  private failure: Error | null = null

  constructor(protected stream: Writable) {
    stream.on('error', (error) => (this.failure ??= error))
  }

  async write(chunk: string) {
    if (this.failure) throw this.failure
    if (!this.stream.write(chunk)) await once(this.stream, 'drain')
  }

  abstract flush(): Promise<void>
  abstract commit(): Promise<void>
  abstract discard(): Promise<void>
}

class StdoutTarget extends StreamTarget {
  constructor() {
    super(process.stdout)
  }

  flush() {
    return new Promise<void>((done, fail) => this.stream.write('', (error) => (error ? fail(error) : done())))
  }

  async commit() {}
  async discard() {}
}

/**
 * Writes into a hidden file beside the destination and renames it at the
 * end, so a failed export never leaves a partial CSV under the real name.
 */
class FileTarget extends StreamTarget {
  private constructor(
    stream: WriteStream,
    private partialPath: string,
    private finalPath: string
  ) {
    super(stream)
  }

  static async open(out: string) {
    const finalPath = resolve(out)
    const existing = await stat(finalPath).catch(() => null)
    if (existing?.isDirectory()) throw new Error('it is a folder')
    const partialPath = join(dirname(finalPath), `.${basename(finalPath)}.${process.pid}.partial`)
    const stream = createWriteStream(partialPath, { flags: 'wx', mode: 0o600 })
    try {
      await once(stream, 'open')
    } catch (error) {
      stream.destroy()
      throw error
    }
    return new FileTarget(stream, partialPath, finalPath)
  }

  async flush() {
    this.stream.end()
    await finished(this.stream)
  }

  async commit() {
    await rename(this.partialPath, this.finalPath)
  }

  async discard() {
    this.stream.destroy()
    await rm(this.partialPath, { force: true })
  }
}

function reason(error: unknown) {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return 'the folder does not exist'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EROFS') return 'the file system is read-only'
  return error instanceof Error ? error.message : String(error)
}
