import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { changeLinkLevel, LinkLevelProblem } from '#actions/family/change_link_level'
import { caregiverLevelValidator } from '#validators/family'
import { portalMessages } from '#validators/portal_messages'
import { actorOf } from '#services/request_actor'
import { practiceNow } from '#support/practice_time'

/*
| An adult client sets the level of their own authorized caregivers, from
| Account (DESIGN §14). Only the client themself (a self link), only as an
| adult, only links of caregivers to this client: anything else is a 404.
*/
export default class CaregiverLevelsController {
  async update(ctx: HttpContext) {
    const { params, request, response, session, portal } = ctx
    if (!portal.isSelf || !portal.client.isAdultOn(practiceNow())) throw notFound()
    const { level } = await request.validateUsing(caregiverLevelValidator, { messagesProvider: portalMessages(ctx) })
    try {
      const outcome = await changeLinkLevel({ linkId: Number(params.id), level, asClientId: portal.client.id }, actorOf(ctx))
      session.flash('success', ctx.i18n.t(outcome.changed ? 'family.caregivers.saved' : 'family.caregivers.unchanged'))
    } catch (error) {
      if (error instanceof LinkLevelProblem) throw notFound()
      throw error
    }
    return response.redirect().toPath('/portal/account#caregivers')
  }
}

/** The calm 404 page, as for any id that is not this client's. */
function notFound() {
  return new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })
}
