import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'

/** For load balancers: 200 when the app and its database answer, 503 otherwise. */
export default class HealthController {
  async show({ response }: HttpContext) {
    response.header('Cache-Control', 'no-store')
    const started = performance.now()
    try {
      await Promise.race([
        db.rawQuery('select 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000)),
      ])
      return response.send({ status: 'ok', database: { status: 'ok', ms: Math.round(performance.now() - started) } })
    } catch {
      return response.status(503).send({ status: 'unavailable', database: { status: 'down' } })
    }
  }
}
