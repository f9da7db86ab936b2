import type { HttpContext } from '@adonisjs/core/http'
import { accountLanguageValidator } from '#validators/family'
import { portalMessages } from '#validators/portal_messages'
import { auditPortal } from '#services/audit'
import { answerInLanguageOf, rememberVisitorLocale } from '#services/request_locale'

/*
| The account's own language, on its own form: for a guardian whose level
| does not include the client's preferences (DESIGN §14), which hold the
| language field for everyone else. The account is machinery, not client data.
*/
export default class AccountLanguageController {
  async update(ctx: HttpContext) {
    const { request, response, session, portal } = ctx
    const { language } = await request.validateUsing(accountLanguageValidator, { messagesProvider: portalMessages(ctx) })
    if (portal.account.language !== language) {
      portal.account.language = language
      await portal.account.save()
      await auditPortal(ctx, 'portal.account.language_changed')
    }
    answerInLanguageOf(ctx, portal.account)
    rememberVisitorLocale(ctx, portal.account.language)
    session.flash('success', ctx.i18n.t('portal.preferences.saved'))
    return response.redirect().toRoute('portal.account.show')
  }
}
