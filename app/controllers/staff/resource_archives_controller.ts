import type { HttpContext } from '@adonisjs/core/http'
import Resource from '#models/resource'
import { audit } from '#services/audit'

/*
| Archiving a resource takes it out of clients' sight without ending their
| shares; unarchiving brings it back to them.
*/
export default class ResourceArchivesController {
  async store(ctx: HttpContext) {
    const { params, response, session } = ctx
    const resource = await Resource.findOrFail(params.id)
    if (!resource.isArchived) {
      await resource.archive()
      await auditResource(ctx, 'staff.resource.archived', resource)
    }
    session.flash('success', `“${resource.title}” is archived. Clients no longer see it; their shares are kept.`)
    return response.redirect().toRoute('staff.resource_library.show', { id: resource.id })
  }

  async destroy(ctx: HttpContext) {
    const { params, response, session } = ctx
    const resource = await Resource.findOrFail(params.id)
    if (resource.isArchived) {
      await resource.unarchive()
      await auditResource(ctx, 'staff.resource.unarchived', resource)
    }
    session.flash('success', `“${resource.title}” is back in the library. Clients it is shared with see it again.`)
    return response.redirect().toRoute('staff.resource_library.show', { id: resource.id })
  }
}

function auditResource(ctx: HttpContext, action: string, resource: Resource) {
  return audit(ctx, {
    action,
    actorKind: 'staff',
    actorId: ctx.auth.use('staff').getUserOrFail().id,
    detail: { resourceId: resource.id },
  })
}
