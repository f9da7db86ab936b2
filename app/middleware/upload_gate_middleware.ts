import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { guardSessionKey } from '#services/signed_in_session'

/*
| File uploads are parsed before routing (the CSRF check needs the parsed
| body), so this gate decides first who may send one at all: only a
| signed-in staff session, only to the upload endpoints. Anyone else's
| multipart body is refused before a byte of it is written to disk.
*/
const UPLOAD_ENDPOINTS = new Set(['/resource-library'])

export default class UploadGateMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.request.is(['multipart/form-data'])) return next()
    if (ctx.request.method() === 'POST' && UPLOAD_ENDPOINTS.has(ctx.request.url()) && ctx.session.has(guardSessionKey('staff'))) {
      return next()
    }
    return ctx.response.status(415).send('Uploads are not accepted here.')
  }
}
