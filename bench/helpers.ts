/*
| Small helpers the bench, the soak and the restore drill share.
*/

/** A log line prefixed with the seconds since the script started. */
export function elapsedLogger(width = 4) {
  const started = Date.now()
  return (line: string) => {
    console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(width)}s] ${line}`)
  }
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits

/** The nearest-rank percentile of an ascending list; NaN when empty. */
export function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}
