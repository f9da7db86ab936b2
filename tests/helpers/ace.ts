import app from '@adonisjs/core/services/app'

/*
| Ace commands run in this process, the way `node ace <name> …` runs them
| (same flag parsing, same exit code, same messages), without starting a
| second Node.js process and app per call. The logger runs in raw mode and
| keeps what it would print; anything a command writes to process.stdout
| itself (audit:export's CSV) is kept as standard output too.
|   const result = await runCommand('portal:disable', ['--email', email])
|   assert.equal(result.code, 0, result.output)
| A spawned process is still needed for what only a real process has
| (standard input, the process exit code): see staff_create_command.spec.ts.
*/
export interface CommandResult {
  code: number | null
  stdout: string
  stderr: string
  /** Standard output and error together, as a terminal shows them. */
  output: string
}

/** Answers to the command's prompts, by prompt title. */
type PromptReplies = Record<string, string>

export async function runCommand(name: string, args: string[], prompts: PromptReplies = {}): Promise<CommandResult> {
  const ace = await app.container.make('ace')
  ace.ui.switchMode('raw')
  ace.ui.logger.flushLogs()

  const Command = await ace.find(name)
  const command = await ace.create(Command, args)
  for (const [title, reply] of Object.entries(prompts)) command.prompt.trap(title).replyWith(reply)

  let written = ''
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
    written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    const done = typeof encoding === 'function' ? encoding : callback
    if (typeof done === 'function') done()
    return true
  }) as typeof process.stdout.write
  try {
    await command.exec()
  } catch (error) {
    // A crash is exit code 1 with the error printed, as in the terminal.
    ace.ui.logger.error(error instanceof Error ? error.message : String(error))
  } finally {
    process.stdout.write = write
  }

  const logs = ace.ui.logger.getLogs()
  ace.ui.logger.flushLogs()
  const messages = (stream: 'stdout' | 'stderr') =>
    logs.filter((log) => log.stream === stream).map((log) => `${log.message}\n`).join('')
  return {
    code: command.exitCode ?? null,
    stdout: written + messages('stdout'),
    stderr: messages('stderr'),
    output: logs.map((log) => log.message).join('\n') + written,
  }
}
