import type { HttpContext } from '@adonisjs/core/http'
import { updateContactDetailsValidator } from '#validators/portal_account'
import { portalMessages } from '#validators/portal_messages'
import { auditPortal } from '#services/audit'

/** Phone, email and address of the active client. */
export default class ContactDetailsController {
  async update(ctx: HttpContext) {
    const { request, response, session, portal } = ctx
    const client = await portal.query('clients').firstOrFail()
    const details = await request.validateUsing(updateContactDetailsValidator, {
      meta: { storedPhones: { phone: client.phone } },
      messagesProvider: portalMessages(ctx),
    })
    client.mergeContactDetails({ ...details, email: details.email ?? null })

    if (client.$isDirty) {
      await client.save()
      await auditPortal(ctx, 'portal.profile.updated', { section: 'contact' })
    }

    session.flash('success', ctx.i18n.t('portal.contact_details.saved', { name: client.displayFirstName }))
    return response.redirect().toRoute('portal.account.show')
  }
}
