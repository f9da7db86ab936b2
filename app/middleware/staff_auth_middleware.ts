import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import { Bouncer } from '@adonisjs/bouncer'
import * as abilities from '#abilities/main'
import { policies } from '#generated/policies'
import practice from '#config/practice'
import type StaffUser from '#models/staff_user'
import { SignedInMiddleware } from '#middleware/signed_in_middleware'
import { redirectTo } from '#services/navigation'

const ENROLMENT_ROUTES = new Set(['staff.two_factor.setup', 'staff.two_factor.confirm', 'staff.session.destroy'])

/*
| Staff pages: the `staff` guard, an active account, a live session epoch,
| the 30-minute idle rule, two-factor sign-in set up where the role
| requires it. Authorization then goes through bouncer, whose
| actor is always the signed-in staff user.
*/
export default class StaffAuthMiddleware extends SignedInMiddleware<StaffUser> {
  protected guardName = 'staff' as const
  protected signInPath = '/login'

  protected idleMinutes() {
    return practice.staffIdleMinutes
  }

  protected mayContinue(staff: StaffUser) {
    return staff.isActive
  }

  handle(ctx: HttpContext, next: NextFn) {
    return this.authenticate(ctx, next, (staff) => {
      // A ceo or admin without two-factor sign-in reaches nothing but enrolment (and sign-out).
      if (staff.mustEnrolTwoFactor && !ENROLMENT_ROUTES.has(ctx.route?.name ?? '')) {
        redirectTo(ctx, urlFor('staff.two_factor.setup'))
        return false
      }
      ctx.bouncer = new Bouncer(() => staff, abilities, policies).setContainerResolver(
        ctx.containerResolver
      )
      ctx.view.share({ ...ctx.bouncer.edgeHelpers, currentStaff: staff })
    })
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    bouncer: Bouncer<StaffUser, typeof abilities, typeof policies>
  }
}
