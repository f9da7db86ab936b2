import type { HttpContext } from '@adonisjs/core/http'
import { switchClientValidator } from '#validators/portal_lists'
import { ACTIVE_CLIENT_KEY } from '#middleware/portal_context_middleware'
import { audit, auditPortal } from '#services/audit'
import ClientUserLink from '#models/client_user_link'

/** A guardian chooses whose information they are looking at. */
export default class ActiveClientController {
  async edit({ view }: HttpContext) {
    return view.render('pages/portal/active_client/edit')
  }

  async update(ctx: HttpContext) {
    const { request, response, session, portal } = ctx
    const { clientId } = await request.validateUsing(switchClientValidator)
    // Only someone this account may act for right now (re-checked on every request).
    const chosen = portal.clients.find(({ client }) => client.id === clientId)
    if (!chosen) {
      await auditPortal(ctx, 'portal.access.refused', { route: 'portal.active_client.update', requestedClientId: clientId })
      session.flash('notice', 'That person is not available through your account.')
      return response.redirect().toRoute('portal.active_client.edit')
    }

    session.put(ACTIVE_CLIENT_KEY, chosen.client.id)
    // Remembered across sign-ins: the next session opens on this person.
    await ClientUserLink.query().where('id', chosen.link.id).update({ last_viewed_at: new Date() })
    await audit(ctx, {
      action: 'portal.client.switched',
      actorKind: 'client_user',
      actorId: portal.account.id,
      clientId: chosen.client.id,
      detail: { fromClientId: portal.client.id },
    })
    session.flash('success', `You are now viewing ${chosen.client.displayFirstName}'s information.`)
    return response.redirect().toRoute('portal.home')
  }
}
