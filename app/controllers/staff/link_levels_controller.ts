import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { changeLinkLevel, LinkLevelProblem } from '#actions/family/change_link_level'
import { actorOf } from '#services/request_actor'
import { linkLevelValidator } from '#validators/family'

/*
| Staff (ceo, admin: Portal Settings' area) set what a guardian's or
| caregiver's link allows (DESIGN §14), from the client record. Widening a
| teen's parent link needs a reason, kept on the link. Back to the client's
| Portal section either way.
*/
export default class LinkLevelsController {
  async update(ctx: HttpContext) {
    const { params, request, response, session } = ctx
    const link = await db.connection('machinery').from('client_user_links').where('id', params.id).select('client_id').first()
    if (!link) return response.notFound()
    const toSection = () => response.redirect().toPath(`/clients/${link.client_id}#portal-links`)

    const [invalid, input] = await request.tryValidateUsing(linkLevelValidator)
    if (invalid) {
      session.flashValidationErrors(invalid)
      return toSection()
    }
    try {
      const outcome = await changeLinkLevel({ linkId: Number(params.id), level: input.level, reason: input.reason }, actorOf(ctx))
      session.flash('success', outcome.changed ? 'The access level is saved. It works from the account\'s next page.' : 'The level is confirmed; nothing else changed.')
    } catch (error) {
      if (!(error instanceof LinkLevelProblem)) throw error
      if (error.reason === 'reason_required') {
        session.flash('errors', { [`level-${params.id}`]: 'Please give a reason for widening a teen\'s parent access.' })
        session.flash('notice', 'Nothing was changed: widening a parent\'s access to a teen needs a reason.')
      } else {
        session.flash('notice', 'That link has ended, so its level cannot change.')
      }
    }
    return toSection()
  }
}
