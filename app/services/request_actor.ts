import type { HttpContext } from '@adonisjs/core/http'
import type { Actor } from '#support/actor'

/**
 * The actor of a request, built once by a controller for the use cases it
 * calls: the signed-in staff member or portal account (as the route's
 * middleware authenticated it), else an anonymous visitor; with the
 * request's IP and user agent for the audit trail.
 */
export function actorOf(ctx: HttpContext): Actor {
  const origin = { ip: ctx.request.ip(), userAgent: ctx.request.header('user-agent') ?? null }
  const staff = ctx.auth.use('staff').user
  if (staff) return { kind: 'staff', id: staff.id, ...origin }
  const account = ctx.auth.use('client_users').user
  if (account) return { kind: 'client_user', id: account.id, ...origin }
  return { kind: 'anonymous', id: null, ...origin }
}
