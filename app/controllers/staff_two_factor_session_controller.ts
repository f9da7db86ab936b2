import type { HttpContext } from '@adonisjs/core/http'
import StaffUser from '#models/staff_user'
import { completeSignIn, PENDING_SECOND_FACTOR_KEY, pendingSecondFactor, signInPausedMessage, staffSide } from '#services/sign_in'
import { verifySignInCode } from '#services/two_factor'
import { actorOf } from '#services/request_actor'
import { twoFactorCodeValidator } from '#validators/staff_accounts'

/*
| The second sign-in step, /login/two-factor: only for a session that passed
| the password step in the last few minutes (sign_in.ts). A valid code from
| the app, or an unused recovery code, in the one field `code`, signs in.
*/
export default class StaffTwoFactorSessionController {
  async create(ctx: HttpContext) {
    if (!pendingSecondFactor(ctx)) return startAgain(ctx)
    return ctx.view.render('pages/staff/two_factor/challenge')
  }

  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    const staffId = pendingSecondFactor(ctx)
    if (!staffId) return startAgain(ctx)

    const [invalid, input] = await request.tryValidateUsing(twoFactorCodeValidator)
    if (invalid) {
      session.flashValidationErrors(invalid, false)
      return response.redirect('/login/two-factor')
    }
    const staff = await StaffUser.find(staffId)
    // Deactivated (or two-factor reset) since the password step: start again.
    if (!staff || !staff.isActive || !staff.hasTwoFactor) return startAgain(ctx)

    const outcome = await verifySignInCode(staff, input.code, actorOf(ctx))
    if (outcome === 'wrong' || outcome === 'locked') {
      session.flash('errors', {
        secondFactor:
          outcome === 'locked'
            ? signInPausedMessage
            : 'That code did not work. Enter the code your app shows now (each code works once), or one of your recovery codes.',
      })
      return response.redirect('/login/two-factor')
    }
    await completeSignIn(ctx, staffSide, staff, { secondFactor: outcome })
    if (outcome === 'recovery_code') {
      session.flash('notice', 'You signed in with a recovery code. It will not work again. If your phone is lost, ask an operator to reset two-factor sign-in.')
    }
    return response.redirect('/dashboard')
  }
}

function startAgain(ctx: HttpContext) {
  ctx.session.forget(PENDING_SECOND_FACTOR_KEY)
  ctx.session.flash('notice', 'Please sign in again.')
  return ctx.response.redirect('/login')
}
