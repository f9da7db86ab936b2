import { readdirSync } from 'node:fs'
import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'

/*
| Files under public/ (css/, js/, vendor/, favicon.svg), served by
| @adonisjs/static. In production it is asked only for URLs under one of
| public/'s own top-level names: for any other URL (every page) it would look
| for a file on disk, fail, and build an error object for nothing, on every
| request. The names are read once; production files do not change.
*/
const publicNames = app.inProduction ? new Set(readdirSync(app.publicPath())) : null

@inject()
export default class PublicFilesMiddleware {
  constructor(private files: StaticMiddleware) {}

  handle(ctx: HttpContext, next: NextFn) {
    if (publicNames && !publicNames.has(ctx.request.url().split('/')[1])) return next()
    return this.files.handle(ctx, next)
  }
}
