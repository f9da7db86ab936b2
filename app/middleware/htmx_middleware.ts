import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/*
| Tells controllers whether to render a fragment. History restores (which
| htmx 4 sends without HX-Request) and boosted navigations get full pages.
*/
export default class HtmxMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const header = (name: string) => ctx.request.header(name) === 'true'
    const request = header('hx-request')
    ctx.htmx = {
      request,
      partial: request && !header('hx-boosted') && !header('hx-history-restore-request'),
    }
    ctx.response.header('Vary', 'HX-Request')
    return next()
  }
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    htmx: { request: boolean; partial: boolean }
  }
}
