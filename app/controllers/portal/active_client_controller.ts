import type { HttpContext } from '@adonisjs/core/http'
import { switchClientValidator } from '#validators/portal_lists'
import { portalMessages } from '#validators/portal_messages'
import { audit, auditPortal } from '#services/audit'

/** A guardian chooses whose information they are looking at. */
export default class ActiveClientController {
  async edit({ view }: HttpContext) {
    return view.render('pages/portal/active_client/edit')
  }

  async update(ctx: HttpContext) {
    const { request, response, session, portal } = ctx
    const { clientId } = await request.validateUsing(switchClientValidator, { messagesProvider: portalMessages(ctx) })
    // Only someone this account may act for right now (re-checked on every request).
    const chosen = await portal.switchTo(session, clientId)
    if (!chosen) {
      await auditPortal(ctx, 'portal.access.refused', { route: 'portal.active_client.update', requestedClientId: clientId })
      session.flash('notice', ctx.i18n.t('portal.active_client.unavailable'))
      return response.redirect().toRoute('portal.active_client.edit')
    }

    await audit(ctx, {
      action: 'portal.client.switched',
      actorKind: 'client_user',
      actorId: portal.account.id,
      clientId: chosen.client.id,
      detail: { fromClientId: portal.client.id },
    })
    session.flash('success', ctx.i18n.t('portal.active_client.switched', { name: chosen.client.displayFirstName }))
    return response.redirect().toRoute('portal.home')
  }
}
