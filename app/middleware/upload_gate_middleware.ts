import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'
import { guardSessionKey } from '#services/signed_in_session'

/*
| Bodies are parsed before routing (the CSRF check needs the parsed body),
| so this gate decides first what may be sent at all:
| - the app's forms send url-encoded bodies (htmx too); any other body (JSON,
|   valid or broken, XML, text) is refused with the calm 400 page before
|   the parser reads it;
| - a file upload (multipart) only from a signed-in staff session, only to
|   the upload endpoints: anyone else's is refused (415) before a byte of
|   it is written to disk.
*/
const UPLOAD_ENDPOINTS = new Set(['/resource-library'])
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export default class UploadGateMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const { request } = ctx
    if (!BODY_METHODS.has(request.method()) || !request.hasBody()) return next()
    if (request.is(['multipart/form-data'])) {
      if (request.method() === 'POST' && UPLOAD_ENDPOINTS.has(request.url()) && ctx.session.has(guardSessionKey('staff'))) {
        await next()
        return answerProgressUpload(ctx)
      }
      throw new Exception('Uploads are not accepted here', { status: 415, code: 'E_UPLOAD_NOT_ACCEPTED' })
    }
    if (!request.is(['application/x-www-form-urlencoded'])) {
      throw new Exception('The request body is not a form', { status: 400, code: 'E_UNEXPECTED_BODY' })
    }
    return next()
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
