import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'
import type { PortalRight } from '#models/client_user_link'
import { auditPortal } from '#services/audit'

/*
| The route layer of DESIGN §14: a page or action the acting link's level
| does not allow answers 404, like any page that is not there (the portal
| hides its links too, and the database refuses the rows on its own).
| Runs after portalContext, which knows the link.
*/
export default class PortalLevelMiddleware {
  async handle(ctx: HttpContext, next: NextFn, right: PortalRight) {
    if (!ctx.portal.allows(right)) {
      await auditPortal(ctx, 'portal.access.level_refused', { route: ctx.route?.name ?? null, right })
      // The handler's calm 404 page (a fragment for htmx), and the request's transaction rolls back.
      throw new Exception('Not available at this access level', { status: 404, code: 'E_PORTAL_LEVEL' })
    }
    return next()
  }
}
