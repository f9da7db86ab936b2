import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import PracticeSetting from '#models/practice_setting'
import { SchedulingClosed } from '#exceptions/scheduling_closed'

/*
| "Client scheduling is open" (DESIGN §14, issue #19 item 1): whether the
| practice's mode lets clients act on their schedule online (cancel ahead of
| the window, ask for times, the waitlist), from PracticeSetting.current(),
| so a change in Portal Settings reaches every process within its 5 s cache.
|
| `middleware.clientScheduling()` on a route: in `view_only` the route
| answers the portal's 404 (SchedulingClosed) and its handler never runs.
| `middleware.clientScheduling({ guard: false })` only tells the views.
| Either way, templates see `scheduling.open` and show their links only
| when it is true.
*/
export default class ClientSchedulingMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { guard?: boolean } = {}) {
    const open = (await PracticeSetting.current()).clientsMaySchedule
    ctx.view.share({ scheduling: { open } })
    if (!open && options.guard !== false) throw new SchedulingClosed()
    return next()
  }
}
