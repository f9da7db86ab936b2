import type { HttpContext } from '@adonisjs/core/http'
import OneTimeToken from '#models/one_time_token'
import { callingOrderOptions, leadHourOptions } from '#support/contact_preferences'
import { localeOptions } from '#support/locales'
import { auditPortal } from '#services/audit'

/*
| The Account page: the account's own sign-in (email, password) and the
| active client's contact details, emergency contacts and preferences. Each
| part has its own form and controller; they all come back here.
*/
export default class AccountController {
  async show(ctx: HttpContext) {
    const { view, portal } = ctx
    const client = await portal.query('clients').firstOrFail()
    const emergencyContacts = await portal.query('emergencyContacts').withScopes((scopes) => scopes.inCallingOrder())
    const preference = await portal.query('clientPreferences').firstOrFail()

    // The account's own pending email change: account machinery, as the app role.
    const pendingEmailChange = await OneTimeToken.query()
      .where('clientUserId', portal.account.id)
      .where('purpose', 'email_change')
      .withScopes((scopes) => scopes.usable())
      .orderBy('id', 'desc')
      .first()

    if (!ctx.htmx.repeatView) {
      await auditPortal(ctx, 'portal.account.viewed')
    }

    return view.render('pages/portal/account/show', {
      client,
      isSelf: portal.isSelf,
      emergencyContacts,
      newContactPriority: Math.min(emergencyContacts.length + 1, 9),
      callingOrderOptions: callingOrderOptions(emergencyContacts.length + 1),
      preference,
      leadHourOptions: leadHourOptions(preference.reminderLeadHours),
      languageOptions: localeOptions(),
      language: portal.account.language,
      pendingEmail: pendingEmailChange?.payload?.email ?? null,
      passwordRuleText: ctx.i18n.t('validator.hints.password_rule'),
    })
  }
}
