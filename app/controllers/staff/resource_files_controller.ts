import type { HttpContext } from '@adonisjs/core/http'
import { fileStore } from '#services/file_store'
import { create as contentDisposition } from 'content-disposition'
import Resource from '#models/resource'
import { audit } from '#services/audit'

/** A resource's file for staff, each download audited. */
export default class ResourceFilesController {
  /** Streams the file through the app, as the portal does: never a public URL. */
  async show(ctx: HttpContext) {
    const { params, response } = ctx
    const resource = await Resource.findOrFail(params.id)
    await audit(ctx, {
      action: 'staff.resource.downloaded',
      actorKind: 'staff',
      actorId: ctx.auth.use('staff').getUserOrFail().id,
      detail: { resourceId: resource.id },
    })

    response.header('Content-Type', resource.mimeType)
    response.header('Content-Length', String(resource.sizeBytes))
    response.header('Content-Disposition', contentDisposition(resource.originalName))
    response.header('X-Content-Type-Options', 'nosniff')
    response.stream(await fileStore().getStream(resource.fileKey))
  }
}
