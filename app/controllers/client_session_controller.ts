import type { HttpContext } from '@adonisjs/core/http'
import { portalSide, signIn, signOut } from '#services/sign_in'

/** Portal sign-in and sign-out, at /portal/login and /portal/logout. */
export default class ClientSessionController {
  async create({ view }: HttpContext) {
    return view.render('pages/portal/session/create')
  }

  async store(ctx: HttpContext) {
    const account = await signIn(ctx, portalSide)
    if (!account) return ctx.response.redirect().toRoute('portal.session.create')
    return ctx.response.redirect().toRoute('portal.home')
  }

  async destroy(ctx: HttpContext) {
    await signOut(ctx, portalSide)
    ctx.session.flash('notice', 'You are signed out. Thank you for checking in.')
    return ctx.response.redirect().toRoute('portal.session.create')
  }
}
