import type { HttpContext } from '@adonisjs/core/http'
import { updatePreferencesValidator } from '#validators/portal_account'
import { portalMessages } from '#validators/portal_messages'
import { auditPortal } from '#services/audit'
import { answerInLanguageOf, rememberVisitorLocale } from '#services/request_locale'

/** Reminders, language, contact consent and discreet mode of the active client. */
export default class PreferencesController {
  async update(ctx: HttpContext) {
    const { request, response, session, portal } = ctx
    const choices = await request.validateUsing(updatePreferencesValidator, { messagesProvider: portalMessages(ctx) })

    // Every client has one preferences row (a database trigger creates it).
    const preference = await portal.query('clientPreferences').firstOrFail()
    preference.mergeChoices(choices)
    // An unticked box is not sent: off. The next page's tab title already follows it.
    preference.discreetMode = choices.discreetMode ?? false
    // The language is the account's own (a guardian's, not the child's): account machinery.
    portal.account.language = choices.language

    const discreetChanged = preference.$dirty.discreetMode !== undefined
    if (preference.$isDirty || portal.account.$isDirty) {
      await preference.save()
      await portal.account.save()
      await auditPortal(ctx, 'portal.profile.updated', {
        section: 'preferences',
        ...(discreetChanged ? { discreetMode: preference.discreetMode } : {}),
      })
    }

    // A new language answers at once: this confirmation and the page after it.
    answerInLanguageOf(ctx, portal.account)
    rememberVisitorLocale(ctx, portal.account.language)
    session.flash('success', ctx.i18n.t('portal.preferences.saved'))
    return response.redirect().toRoute('portal.account.show')
  }
}
