import router from '@adonisjs/core/services/router'
import { urlFor } from '@adonisjs/core/services/url_builder'
import env from '#start/env'

type UrlForArguments = Parameters<typeof urlFor>

/**
 * An absolute link for an email: the named route's URL under APP_URL, e.g.
 * `emailLink('portal.invitations.show', { token })`.
 */
export function emailLink(...[route, params]: UrlForArguments) {
  // Ace commands and the worker load the routes but serve nothing, so the router is
  // not committed there; committing is what the HTTP server does first (idempotent).
  router.commit()
  return urlFor(route, params as never, { prefixUrl: env.get('APP_URL') })
}
