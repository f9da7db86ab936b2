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
  async handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.request.is(['multipart/form-data'])) return next()
    if (ctx.request.method() === 'POST' && UPLOAD_ENDPOINTS.has(ctx.request.url()) && ctx.session.has(guardSessionKey('staff'))) {
      await next()
      return answerProgressUpload(ctx)
    }
    return ctx.response.status(415).send('Uploads are not accepted here.')
  }
}

/*
| An upload sent by the progress bar's script (public/js/app.js, header
| X-Upload-Progress) would follow the redirect itself, spending the flash
| messages the next page shows. It gets the redirect's address instead, in
| X-Upload-Location, and the page goes there as a normal submit would.
*/
function answerProgressUpload(ctx: HttpContext) {
  if (ctx.request.header('x-upload-progress') !== '1') return
  const status = ctx.response.getStatus()
  const location = ctx.response.getHeader('location')
  if (status < 300 || status >= 400 || typeof location !== 'string') return
  ctx.response.removeHeader('location')
  ctx.response.header('X-Upload-Location', location)
  ctx.response.status(200).send('')
}
