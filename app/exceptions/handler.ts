import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { isPortalPath } from '#services/surfaces'
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '#services/database_outage'
import { DEFAULT_QUICK_EXIT_URL } from '#models/practice_setting'

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

  /*
  | Every 4xx without a page of its own (a broken or unexpected body, a
  | method or type we do not take) gets the calm 400 page, in every
  | environment: never the debug page nor the parser's message. (The ranges
  | leave out the statuses with their own page: JavaScript puts a key like
  | '403' before any range key, so an overlapping range would win.)
  */
  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '400..402': (_, ctx) => this.renderPage(ctx, 'bad_request'),
    '406..412': (_, ctx) => this.renderPage(ctx, 'bad_request'),
    '414..428': (_, ctx) => this.renderPage(ctx, 'bad_request'),
    '430..499': (_, ctx) => this.renderPage(ctx, 'bad_request'),
    '403': (_, ctx) => this.renderPage(ctx, 'forbidden'),
    '404': (_, ctx) => this.renderPage(ctx, 'not_found'),
    '405': (_, ctx) => this.renderPage(ctx, 'not_found'),
    '413': (_, ctx) => this.renderPage(ctx, 'too_large'),
    '429': (_, ctx) => this.renderPage(ctx, 'too_many_requests'),
    '500..599': (_, ctx) => this.renderPage(ctx, 'server_error'),
  }

  async handle(error: any, ctx: HttpContext) {
    // The database is away for a moment (restart, failover): 503 and when to come back, not a 500.
    if (isDatabaseUnavailable(error)) {
      // "Leave this site" must work even now: the browser drops the cookie, the visitor goes somewhere neutral.
      // (The session is read before routing, so the path decides, not the route.)
      if (ctx.request.method() === 'GET' && ctx.request.url() === '/portal/leave') return leaveWithoutDatabase(ctx)
      ctx.response.status(503)
      ctx.response.header('Retry-After', String(RETRY_AFTER_SECONDS))
      return ctx.response.send(await this.renderPage(ctx, 'unavailable'))
    }
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
    // One line per request while the database is away, not a stack each time.
    if (isDatabaseUnavailable(error)) {
      ctx.logger.warn(`Database unavailable, answered 503: ${(error as Error)?.message ?? 'unknown'}`)
      return
    }
    return super.report(error, ctx)
  }

  /*
  | The app's pages are HTML only: an `Accept: application/json` header does
  | not turn an error into JSON (which, in development, would carry the
  | stack). /health answers JSON on its own, before any error.
  */
  renderError(error: Parameters<ExceptionHandler['renderError']>[0], ctx: HttpContext) {
    return this.renderErrorAsHTML(error, ctx)
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

/** Quick exit while the database is away: no session to end or setting to read, so the fallback address. */
function leaveWithoutDatabase(ctx: HttpContext) {
  ctx.response.header('Clear-Site-Data', '"cache", "cookies"')
  ctx.response.header('Cache-Control', 'no-store')
  ctx.response.header('Location', DEFAULT_QUICK_EXIT_URL)
  ctx.response.status(303)
  return ctx.response.send('')
}
