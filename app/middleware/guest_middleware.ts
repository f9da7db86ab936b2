import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/*
| Sign-in pages: someone already signed in on this side goes to its home.
| Only the session key is looked at; the home page verifies the account.
*/
export default class GuestMiddleware {
  handle(ctx: HttpContext, next: NextFn, options: { guard: 'staff' | 'client_users' }) {
    if (ctx.session.has(`auth_${options.guard}`)) {
      return ctx.response.redirect(options.guard === 'staff' ? '/dashboard' : '/portal')
    }
    return next()
  }
}
