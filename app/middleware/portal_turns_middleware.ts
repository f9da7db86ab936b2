import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import env from '#start/env'

/*
| Portal pages take turns: a web process works on at most
| PORTAL_PAGES_IN_FLIGHT (default 4) portal page requests at once, and the
| others wait in the order they came.
|
| Why (issue #25): Node interleaves every request in flight at each await,
| so with many in flight a page's time grows with everyone's work and with
| its own — under load the slowest page waited about twice as long as the
| median one. In turns, the same work is done at the same rate (the mean
| wait is the same), but each page waits about as long as the others. Four
| in flight keep the one thread busy while some wait on PostgreSQL.
|
| Only page reads (GET/HEAD under /portal): a sign-in (its password hash)
| or a form post never holds a turn, and "Leave this site" never waits.
*/
const IN_FLIGHT = env.get('PORTAL_PAGES_IN_FLIGHT', 4)

let working = 0
/** Requests waiting for a turn, first come first served. */
const waiting: (() => void)[] = []

export default class PortalTurnsMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!takesTurn(ctx)) return next()
    if (working < IN_FLIGHT) working += 1
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await next()
    } finally {
      // The turn passes straight to the next in line; `working` only drops when nobody waits.
      const nextInLine = waiting.shift()
      if (nextInLine) nextInLine()
      else working -= 1
    }
  }
}

function takesTurn({ request }: HttpContext) {
  const method = request.method()
  if (method !== 'GET' && method !== 'HEAD') return false
  const path = request.url()
  return (path === '/portal' || path.startsWith('/portal/')) && path !== '/portal/leave'
}

/** Portal pages being worked on now, and waiting (the tests read it). */
export function portalTurns() {
  return { working, waiting: waiting.length }
}
