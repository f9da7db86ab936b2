import type { HttpContext } from '@adonisjs/core/http'
import { auditPortal } from '#services/audit'
import { asPrepared } from '#services/prepared_statements'
import { groupByCategory } from '#support/category_groups'

/** Resources the care team shared with the active client, grouped by category. */
export default class ResourcesController {
  async index(ctx: HttpContext) {
    const { view, portal, htmx } = ctx
    const resources = await asPrepared(
      portal.query('resources')
        .withScopes((scopes) => scopes.withSharedAt(portal.client.id))
        .withScopes((scopes) => scopes.withCategory())
        .orderBy('resources.title'),
      'portal_resources'
    )

    if (!htmx.repeatView) {
      await auditPortal(ctx, 'portal.resources.viewed', { count: resources.length })
    }
    return view.render('pages/portal/resources/index', {
      groups: groupByCategory(resources, ctx.i18n.t('portal.resources.other_group')),
    })
  }
}
