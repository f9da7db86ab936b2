import { spawn, type ChildProcess } from 'node:child_process'
import app from '@adonisjs/core/services/app'

/*
| Real app processes for tests about several processes and shutdown: web
| processes (bin/server.ts, as `npm start` runs its compiled copy) and
| workers (`node ace jobs:work`), on the run's database, its S3 server
| (DRIVE_DISK=s3) and a given SMTP capture. Each keeps its output for the
| assertion messages.
*/
export interface AppProcess {
  child: ChildProcess
  output(): string
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

function track(child: ChildProcess): AppProcess {
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}

const sharedEnv = (extra: Record<string, string>) => ({
  ...process.env,
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  DRIVE_DISK: 's3',
  LOG_LEVEL: 'warn',
  ...extra,
})

export async function startWeb(port: number, extra: Record<string, string> = {}) {
  const web = track(
    spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
      cwd: app.makePath(),
      env: sharedEnv({ PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, ...extra }),
    })
  )
  await until(async () => (await fetch(`http://127.0.0.1:${port}/health?only=database`).catch(() => null))?.status === 200, 60_000, () => web.output())
  return web
}

export async function startWorker(smtpPort: number, extra: string[] = []) {
  const worker = track(
    spawn(process.execPath, ['ace.js', 'jobs:work', '--interval', '0.2', '--reminders-every', '1', ...extra], {
      cwd: app.makePath(),
      env: sharedEnv({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), LOG_LEVEL: 'info' }),
    })
  )
  await until(async () => worker.output().includes('started'), 60_000, () => worker.output())
  return worker
}

/** Polls a condition (25 ms apart) until it holds; fails with the process output after `timeoutMs`. */
export async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, context: () => string = () => '') {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms\n${context()}`)
    await new Promise((done) => setTimeout(done, 25))
  }
}
