import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { backgroundWorkState } from '#services/worker_heartbeat'

/*
| GET /health: 200 when all is well, 503 otherwise, as JSON with numbers
| only (no names, no addresses: nothing about a client).
| - the database answers (within 2 s);
| - a worker beat recently (HEALTH_WORKER_MAX_SILENCE_SECONDS) and the
|   oldest unsent mail is young enough (HEALTH_MAIL_MAX_AGE_SECONDS). Both
|   limits default on in production (300 s, 1800 s); elsewhere they apply
|   only when set. 0 switches one off.
| GET /health?only=database checks this process and its database only: the
| load balancer's probe, so a stopped worker does not take every web
| process out of rotation (README "Running in production").
*/
const PRODUCTION_LIMITS = { workerSilence: 300, mailAge: 1800 }

function limit(name: 'HEALTH_WORKER_MAX_SILENCE_SECONDS' | 'HEALTH_MAIL_MAX_AGE_SECONDS', productionDefault: number) {
  const value = env.get(name) ?? (env.get('NODE_ENV') === 'production' ? productionDefault : undefined)
  return value && value > 0 ? value : null
}

function withTimeout<T>(work: Promise<T>, ms: number) {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())])
}

export default class HealthController {
  async show({ request, response }: HttpContext) {
    response.header('Cache-Control', 'no-store')
    const started = performance.now()
    try {
      await withTimeout(db.rawQuery('select 1'), 2000)
    } catch {
      return response.status(503).send({ status: 'unavailable', database: { status: 'down' } })
    }
    const database = { status: 'ok', ms: Math.round(performance.now() - started) }
    if (request.qs().only === 'database') return response.send({ status: 'ok', database })

    let state
    try {
      state = await withTimeout(backgroundWorkState(), 2000)
    } catch {
      return response.status(503).send({ status: 'unavailable', database: { status: 'down' } })
    }
    const silenceLimit = limit('HEALTH_WORKER_MAX_SILENCE_SECONDS', PRODUCTION_LIMITS.workerSilence)
    const ageLimit = limit('HEALTH_MAIL_MAX_AGE_SECONDS', PRODUCTION_LIMITS.mailAge)
    const workerLate = silenceLimit !== null && (state.workerSilentSeconds === null || state.workerSilentSeconds > silenceLimit)
    const mailLate = ageLimit !== null && state.oldestQueuedMailSeconds !== null && state.oldestQueuedMailSeconds > ageLimit
    const body = {
      status: workerLate || mailLate ? 'degraded' : 'ok',
      database,
      worker: {
        status: silenceLimit === null ? 'not_checked' : workerLate ? 'late' : 'ok',
        lastHeartbeatSecondsAgo: state.workerSilentSeconds,
        limitSeconds: silenceLimit,
      },
      mail: {
        status: ageLimit === null ? 'not_checked' : mailLate ? 'late' : 'ok',
        oldestQueuedSeconds: state.oldestQueuedMailSeconds,
        limitSeconds: ageLimit,
      },
    }
    return response.status(workerLate || mailLate ? 503 : 200).send(body)
  }
}
