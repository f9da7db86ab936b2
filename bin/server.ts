/*
| HTTP server entry point. `npm start` runs the compiled copy in build/;
| `ace serve` runs this file with hot reloading in development.
|
| WEB_CONCURRENCY=N (N > 1) runs N web processes on this machine with Node's
| cluster: this process only forks them, restarts one that crashes, and
| hands SIGTERM/SIGINT on. Every process is stateless (sessions, files,
| queue and settings live in PostgreSQL and the file store), so any one may
| answer any request.
|
| Graceful shutdown on SIGTERM (and SIGINT): the server stops accepting
| connections and closes idle keep-alive ones; requests in flight finish,
| up to SHUTDOWN_GRACE_SECONDS (default 10), after which the remaining
| connections are cut; then the providers close the database pools and the
| process exits 0.
*/
import 'reflect-metadata'
import cluster from 'node:cluster'
import { createServer, type Server } from 'node:http'
import { Ignitor, prettyPrintError } from '@adonisjs/core'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

const processes = Math.max(1, Math.trunc(Number(process.env.WEB_CONCURRENCY ?? 1)) || 1)
const graceSeconds = Number(process.env.SHUTDOWN_GRACE_SECONDS ?? 10)

if (processes > 1 && cluster.isPrimary) {
  superviseWebProcesses(processes)
} else {
  startWebProcess()
}

function startWebProcess() {
  let httpServer: Server | null = null
  let stopping = false
  const stop = async (app: { terminate(): Promise<void> }) => {
    if (stopping) return
    stopping = true
    // In-flight requests get the grace period; then whatever is left is cut.
    setTimeout(() => httpServer?.closeAllConnections(), Math.max(0, graceSeconds) * 1000).unref()
    // Stop accepting first, and wait for the requests in flight: the app's own
    // terminating hooks close the database pools, which would otherwise wait
    // on those requests while the server still took new ones.
    // A keep-alive connection opened before the signal is not new: its next
    // requests are still answered, each with `Connection: close`, so it ends.
    httpServer?.on('request', (_request, response) => response.setHeader('Connection', 'close'))
    if (httpServer?.listening) await new Promise<void>((resolve) => httpServer!.close(() => resolve()))
    await app.terminate()
    // Pools are closed: nothing left to wait for (a stray timer must not hold the exit).
    process.exit(process.exitCode ?? 0)
  }

  new Ignitor(APP_ROOT, { importer: IMPORTER })
    .tap((app) => {
      app.booting(async () => {
        await import('#start/env')
      })
      app.listen('SIGTERM', () => stop(app))
      app.listen('SIGINT', () => stop(app))
    })
    .httpServer()
    .start((handler) => {
      httpServer = createServer(handler)
      return httpServer
    })
    .catch((error) => {
      process.exitCode = 1
      prettyPrintError(error)
    })
}

function superviseWebProcesses(count: number) {
  let stopping = false
  const fork = () => cluster.fork()
  for (let i = 0; i < count; i++) fork()
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
      return
    }
    console.error(`web process ${worker.process.pid} exited (${signal ?? code}); starting another`)
    setTimeout(fork, 1000)
  })
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    const workers = Object.values(cluster.workers ?? {})
    if (workers.length === 0) process.exit(0)
    for (const worker of workers) worker?.process.kill(signal)
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGTERM'))
}
