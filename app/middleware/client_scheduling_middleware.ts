import { errors, type HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import PracticeSetting from '#models/practice_setting'

/*
| Routes clients use to act on their schedule (DESIGN §14): in the practice
| mode `view_only` they do not exist, so they answer the same 404 as any
| unknown page. The mode is read through PracticeSetting.current() (its
| short cache), so a change reaches every process within seconds.
*/
export default class ClientSchedulingMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!(await PracticeSetting.current()).clientsMaySchedule) throw new errors.E_ROUTE_NOT_FOUND([ctx.request.method(), ctx.request.url()])
    return next()
  }
}
