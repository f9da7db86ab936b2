import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { answerIn, visitorLocale } from '#services/request_locale'

/*
| Every request (error pages of unknown URLs included) starts in the
| visitor's language; the portal's sign-in middleware switches to the
| account's own once it knows who is signed in (services/request_locale.ts).
*/
export default class DetectUserLocaleMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    answerIn(ctx, visitorLocale(ctx))
    return next()
  }
}
