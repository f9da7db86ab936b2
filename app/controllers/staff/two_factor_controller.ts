import type { HttpContext } from '@adonisjs/core/http'
import { confirmEnrolment, enrolmentDetails, startEnrolment } from '#services/two_factor'
import { actorOf } from '#services/request_actor'
import { twoFactorCodeValidator } from '#validators/staff_accounts'
import { fieldError } from '#validators/field_error'
import { TWO_FACTOR_ROLES } from '#models/staff_user'

/*
| Two-factor sign-in for the signed-in staff member: its status
| (/staff/two-factor), and enrolment (/staff/two-factor/setup): a QR code
| rendered here, the secret as text, a first code to confirm, then ten
| recovery codes shown once. A ceo or admin without it is kept on these
| pages by the staff auth middleware.
*/
export default class TwoFactorController {
  async show({ auth, view }: HttpContext) {
    const staff = auth.use('staff').user!
    return view.render('pages/staff/two_factor/show', {
      enabled: staff.hasTwoFactor,
      required: TWO_FACTOR_ROLES.includes(staff.role),
    })
  }

  async setup(ctx: HttpContext) {
    const staff = ctx.auth.use('staff').user!
    if (staff.hasTwoFactor) {
      ctx.session.flash('notice', 'Two-factor sign-in is already set up for your account.')
      return ctx.response.redirect().toRoute('staff.two_factor.show')
    }
    await startEnrolment(staff)
    return ctx.view.render('pages/staff/two_factor/setup', {
      ...(await enrolmentDetails(staff)),
      required: staff.mustEnrolTwoFactor,
    })
  }

  async confirm(ctx: HttpContext) {
    const { request, response, session, auth, view } = ctx
    const staff = auth.use('staff').user!
    if (staff.hasTwoFactor) return response.redirect().toRoute('staff.two_factor.show')

    const [invalid, input] = await request.tryValidateUsing(twoFactorCodeValidator)
    if (invalid) {
      session.flashValidationErrors(invalid, false)
      return response.redirect().toRoute('staff.two_factor.setup')
    }
    const codes = await confirmEnrolment(staff, input.code, actorOf(ctx))
    if (!codes || codes === 'locked') {
      const message =
        codes === 'locked'
          ? 'For your safety, codes are paused for a while after several attempts. Please try again later.'
          : 'That code did not match. Check the time on your phone is set automatically, then enter the code your app shows now.'
      session.flashValidationErrors(fieldError('code', message, 'totp'), false)
      return response.redirect().toRoute('staff.two_factor.setup')
    }
    // Shown on this response only, never stored plain (not even in the session).
    return view.render('pages/staff/two_factor/recovery_codes', { codes })
  }
}
