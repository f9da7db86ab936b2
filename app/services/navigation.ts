import type { HttpContext } from '@adonisjs/core/http'

/*
| A redirect that also works for htmx: fetch would follow a 302 and swap the
| target page into a fragment, so htmx gets HX-Redirect (a full navigation).
*/
export function redirectTo(ctx: HttpContext, url: string) {
  if (ctx.htmx?.request) {
    ctx.response.header('HX-Redirect', url)
    return ctx.response.status(204).send('')
  }
  return ctx.response.redirect(url)
}
