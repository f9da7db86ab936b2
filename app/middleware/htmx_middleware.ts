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
    const historyRestore = header('hx-history-restore-request')
    const partial = request && !header('hx-boosted') && !historyRestore
    ctx.htmx = { request, partial, repeatView: partial || historyRestore }
    ctx.response.header('Vary', 'HX-Request')
    return next()
  }
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    htmx: {
      /** Any request sent by htmx. */
      request: boolean
      /** Render the fragment only, not the page. */
      partial: boolean
      /** A piece or a restore of a page already shown (and audited): don't audit it again. */
      repeatView: boolean
    }
  }
}
