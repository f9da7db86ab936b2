import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { guardSessionKey } from '#services/signed_in_session'
import { isNeutralPath, isPortalPath } from '#services/surfaces'
import { redirectTo } from '#services/navigation'

/*
| The seed's route isolation, for every route:
| - a signed-in staff user who opens any /portal URL goes to the dashboard;
| - a signed-in portal user who opens any other URL goes back to /portal
|   (GET) or is refused (other methods).
| Presence of a guard's session key decides; the guards themselves verify the
| account on the pages that need it.
|
| Every routed response is private to this browser: `no-store`, so Back
| after sign-out on a shared computer shows nothing; and no URL of ours is
| sent as a referrer to another site.
*/
export default class SurfaceIsolationMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    ctx.response.header('Cache-Control', 'no-store')
    ctx.response.header('Referrer-Policy', 'same-origin')
    const url = ctx.request.url()
    if (isNeutralPath(url)) return next()

    if (isPortalPath(url)) {
      if (ctx.session.has(guardSessionKey('staff'))) return redirectTo(ctx, '/dashboard')
    } else if (ctx.session.has(guardSessionKey('client_users'))) {
      if (ctx.request.method() === 'GET' || ctx.request.method() === 'HEAD') {
        return redirectTo(ctx, '/portal')
      }
      const page = await ctx.view.render('pages/errors/forbidden', { surface: 'portal' })
      return ctx.response.status(403).send(page)
    }
    return next()
  }
}
