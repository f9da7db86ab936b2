/*
| `npm run bench -- --profile`: where the app server's own CPU goes on a
| page. After the measured runs, the large set's server is sent SIGUSR1 (its
| inspector opens on the loopback port given by --inspect-port), V8's
| sampling profiler runs over one more 10 s load of the page through the
| inspector protocol, and the profile is summarised by self time: per
| package / node module / app file, and the hottest functions.
*/

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface ProfileSummary {
  total_ms: number
  by_area: { area: string; ms: number; pct: number }[]
  top_functions: { fn: string; area: string; ms: number; pct: number }[]
  /** Inclusive time of the app's own functions (everything they called, counted once per sample). */
  app_inclusive: { fn: string; ms: number; pct: number }[]
}

const isAppArea = (area: string) => /^(app|start|config)\//.test(area)

/** node_modules/<package>, node:<module>, app/<file>, or V8's own buckets. */
export function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName.startsWith('(')) return functionName // (garbage collector), (idle), (program)
    return '(native)'
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (modules) return modules[1]
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/').slice(0, 2).join('/')
  const app = /\/build\/(.*)$/.exec(url)
  if (app) return app[1].replace(/^file:\/\//, '')
  return url.replace(/^file:\/\//, '')
}

export function summariseProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, index) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
  })
  let totalUs = 0
  const areas = new Map<string, number>()
  const functions = new Map<string, { area: string; us: number }>()
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)') continue
    totalUs += us
    const area = areaOf(url, functionName)
    areas.set(area, (areas.get(area) ?? 0) + us)
    const key = `${functionName || '(anonymous)'} ${url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : ''}`.trim()
    const entry = functions.get(key) ?? { area, us: 0 }
    entry.us += us
    functions.set(key, entry)
  }
  const pct = (us: number) => Math.round((1000 * us) / Math.max(1, totalUs)) / 10

  // Inclusive: each sample's time goes to every app function on its stack (once each).
  const parentOf = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)
  const inclusive = new Map<string, number>()
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame
      if (!url || !isAppArea(areaOf(url, functionName))) continue
      const key = `${functionName || '(anonymous)'} ${areaOf(url, functionName)}:${lineNumber + 1}`
      if (seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + us)
    }
  }
  return {
    app_inclusive: [...inclusive]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, ms: Math.round(us / 1000), pct: pct(us) })),
    total_ms: Math.round(totalUs / 1000),
    by_area: [...areas]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, us]) => ({ area, ms: Math.round(us / 1000), pct: pct(us) })),
    top_functions: [...functions]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([fn, { area, us }]) => ({ fn, area, ms: Math.round(us / 1000), pct: pct(us) })),
  }
}

interface InspectorSession {
  send(method: string, params?: Record<string, unknown>): Promise<any>
  close(): void
}

/** Opens the inspector of a running node process (SIGUSR1) and connects to it. */
export async function attachInspector(pid: number, port: number): Promise<InspectorSession> {
  process.kill(pid, 'SIGUSR1')
  let url: string | undefined
  for (let attempt = 0; attempt < 100 && !url; attempt++) {
    try {
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as any[]
      url = targets[0]?.webSocketDebuggerUrl
    } catch {}
    if (!url) await new Promise((done) => setTimeout(done, 100))
  }
  if (!url) throw new Error(`The inspector of process ${pid} did not open on 127.0.0.1:${port}`)
  const socket = new WebSocket(url)
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true })
    socket.addEventListener('error', () => reject(new Error('Could not connect to the inspector')), { once: true })
  })
  let nextId = 0
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>()
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data))
    const waiting = message.id ? pending.get(message.id) : undefined
    if (!waiting) return
    pending.delete(message.id)
    if (message.error) waiting.reject(new Error(message.error.message))
    else waiting.resolve(message.result)
  })
  return {
    send(method, params = {}) {
      const id = ++nextId
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        socket.send(JSON.stringify({ id, method, params }))
      })
    },
    close: () => socket.close(),
  }
}

/** A CPU profile of the process while `load` runs (sampling every 250 µs). */
export async function profileWhile(
  session: InspectorSession,
  load: () => Promise<void>,
  keepAs?: string
): Promise<ProfileSummary> {
  await session.send('Profiler.enable')
  await session.send('Profiler.setSamplingInterval', { interval: 250 })
  await session.send('Profiler.start')
  let stopped: { profile: CpuProfile }
  try {
    await load()
  } finally {
    stopped = await session.send('Profiler.stop')
  }
  await session.send('Profiler.disable')
  // BENCH_KEEP_PROFILE=dir keeps the raw profile (for DevTools or a closer reading).
  const keepIn = process.env.BENCH_KEEP_PROFILE
  if (keepIn) {
    mkdirSync(keepIn, { recursive: true })
    writeFileSync(join(keepIn, `${keepAs ?? 'profile'}.cpuprofile`), JSON.stringify(stopped.profile))
  }
  return summariseProfile(stopped.profile)
}

/** The server's memory before and after a forced full GC: garbage V8 had not collected yet, or live data? */
export async function memoryAfterGc(session: InspectorSession, rssMb: () => number) {
  const usage = async () => {
    const { result } = await session.send('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })
    const mb = (n: number) => Math.round(n / 2 ** 20)
    const u = JSON.parse(result.value)
    return { heap_used_mb: mb(u.heapUsed), heap_total_mb: mb(u.heapTotal), external_mb: mb(u.external), rss_mb: rssMb() }
  }
  const before = await usage()
  await session.send('HeapProfiler.enable')
  await session.send('HeapProfiler.collectGarbage')
  await session.send('HeapProfiler.disable')
  const after = await usage()
  return { before, after }
}
