import type { HttpContext } from '@adonisjs/core/http'
import { pendingSecondFactor, signIn, signOut, staffSide } from '#services/sign_in'

/** Staff sign-in and sign-out, at /login and /logout. */
export default class StaffSessionController {
  async create({ view }: HttpContext) {
    return view.render('pages/staff/session/create')
  }

  async store(ctx: HttpContext) {
    const staff = await signIn(ctx, staffSide)
    if (!staff) return ctx.response.redirect().toRoute('staff.session.create')
    // Two-factor sign-in: the password step passed; the code step signs in.
    if (pendingSecondFactor(ctx)) return ctx.response.redirect().toRoute('staff.two_factor_session.create')
    // A ceo or admin without two-factor sign-in sets it up before anything else.
    if (staff.mustEnrolTwoFactor) return ctx.response.redirect().toRoute('staff.two_factor.setup')
    return ctx.response.redirect().toRoute('staff.dashboard')
  }

  async destroy(ctx: HttpContext) {
    await signOut(ctx, staffSide)
    ctx.session.flash('notice', 'You are signed out.')
    return ctx.response.redirect().toRoute('staff.session.create')
  }
}
