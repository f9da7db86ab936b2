import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { isPortalPath } from '#services/surfaces'

/*
| Calm error pages on both sides, in the layout of the side the URL
| belongs to. Stack traces go to the log (in development), never to a page.
*/
/** The page the htmx request came from, if it is ours; else the side's home. */
function safeCurrentPath(ctx: HttpContext) {
  const current = ctx.request.header('hx-current-url')
  try {
    const url = new URL(current ?? '', `http://${ctx.request.host()}`)
    if (url.host === ctx.request.host()) return url.pathname + url.search
  } catch {}
  return isPortalPath(ctx.request.url()) ? '/portal' : '/dashboard'
}

export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = app.inDev
  protected renderStatusPages = true

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (_, ctx) => this.renderPage(ctx, 'forbidden'),
    '404': (_, ctx) => this.renderPage(ctx, 'not_found'),
    '405': (_, ctx) => this.renderPage(ctx, 'not_found'),
    '413': (_, ctx) => this.renderPage(ctx, 'too_large'),
    '429': (_, ctx) => this.renderPage(ctx, 'too_many_requests'),
    '500..599': (_, ctx) => this.renderPage(ctx, 'server_error'),
  }

  async handle(error: any, ctx: HttpContext) {
    // Bouncer answers a forbidden form post with a redirect back; a calm 403 page is clearer.
    if (error?.code === 'E_AUTHORIZATION_FAILURE') {
      ctx.response.status(403)
      return ctx.response.send(await this.renderPage(ctx, 'forbidden'))
    }
    // A stale form: say so calmly and go back, keeping no input (it may hold
    // a password). An htmx request would follow a redirect and swap a whole
    // page into a fragment, so it is sent to a fresh copy of the page instead.
    if (error?.code === 'E_BAD_CSRF_TOKEN') {
      const expired = isPortalPath(ctx.request.url())
        ? ctx.i18n.t('public.errors.expired_form')
        : 'That page had expired, so nothing was sent. Please try again.'
      ctx.session?.flash('notice', expired)
      if (!ctx.htmx?.request) return ctx.response.redirect().back()
      ctx.response.header('HX-Redirect', safeCurrentPath(ctx))
      return ctx.response.status(204).send('')
    }
    return super.handle(error, ctx)
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }

  /** htmx requests get a fragment, so an error never pulls a whole page into a list. */
  private renderPage(ctx: HttpContext, page: string) {
    ctx.response.header('Cache-Control', 'no-store')
    const surface = isPortalPath(ctx.request.url()) ? 'portal' : 'staff'
    if (ctx.request.header('hx-request') && !ctx.request.header('hx-history-restore-request')) {
      return ctx.view.render(`pages/errors/_${page}`, { surface })
    }
    return ctx.view.render(`pages/errors/${page}`, { surface })
  }
}
