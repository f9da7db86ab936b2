/*
| Whether an error means "the database cannot be reached right now" (a
| restart, a failover, a full connection table) rather than a fault in the
| app: such a request answers 503 with Retry-After, and the next request
| after the database is back simply works (the pools make new connections).
*/

/** Seconds a client (or a proxy) is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 30

/* Socket errors of a connection that cannot be made or was cut. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'])

/*
| PostgreSQL SQLSTATEs of an unavailable server: connection exceptions (08),
| too many connections (53300), admin/crash shutdown and "starting up" (57P01-03).
*/
const SQLSTATES = new Set(['08000', '08001', '08003', '08004', '08006', '53300', '57P01', '57P02', '57P03'])

const MESSAGES = [
  /Connection terminated/i,
  /is not currently accepting connections/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /Timeout acquiring a connection/i,
  /Client has encountered a connection error/i,
]

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false
  const { code, name, message, cause, errors } = error as {
    code?: unknown
    name?: unknown
    message?: unknown
    cause?: unknown
    errors?: unknown
  }
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATES.has(code))) return true
  if (name === 'KnexTimeoutError') return true
  if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true
  // AggregateError (several addresses refused), or an error wrapping the driver's.
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true
  return isDatabaseUnavailable(cause, depth + 1)
}
