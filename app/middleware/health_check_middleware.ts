import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import HealthController from '#controllers/health_controller'

/*
| GET /health is answered here, before the session, shield and auth: a load
| balancer's probe carries no cookie, so the session would be a new one each
| time (a row written per probe), and with the database down that write
| would turn the probe's calm 503 into a 500. The route stays in
| start/routes.ts, served by the same controller, for anything that lists
| or links to routes.
*/
export default class HealthCheckMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.url() === '/health' && ['GET', 'HEAD'].includes(ctx.request.method())) {
      return new HealthController().show(ctx)
    }
    return next()
  }
}
