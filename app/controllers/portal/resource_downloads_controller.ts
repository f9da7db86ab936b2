import type { HttpContext } from '@adonisjs/core/http'
import { fileStore } from '#services/file_store'
import { create as contentDisposition } from 'content-disposition'
import { auditPortal } from '#services/audit'

/*
| Streams a shared file through the app (never a public URL): authorize
| through the live share, audit, commit the request's transaction, then
| stream from storage with no transaction held.
*/
export default class ResourceDownloadsController {
  async show(ctx: HttpContext) {
    const { params, response, portal } = ctx
    const resource = await portal.query('resources')
      .where('id', params.id)
      .firstOrFail()

    await auditPortal(ctx, 'portal.resource.downloaded', { resourceId: resource.id })
    await portal.commit()

    response.header('Content-Type', resource.mimeType)
    response.header('Content-Length', String(resource.sizeBytes))
    response.header('Content-Disposition', contentDisposition(resource.originalName))
    response.header('X-Content-Type-Options', 'nosniff')
    response.stream(await fileStore().getStream(resource.fileKey))
  }
}
