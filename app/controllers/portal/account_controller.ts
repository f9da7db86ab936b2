import type { HttpContext } from '@adonisjs/core/http'
import OneTimeToken from '#models/one_time_token'
import { portalCallingOrderOptions, portalLeadHourOptions } from '#support/portal_choices'
import { localeOptions } from '#support/locales'
import { auditPortal } from '#services/audit'
import { peopleWithAccess } from '#actions/family/people_with_access'
import { practiceNow } from '#support/practice_time'

/*
| The Account page: the account's own sign-in (email, password) and the
| active client's contact details, emergency contacts and preferences. Each
| part has its own form and controller; they all come back here.
| A guardian whose level does not include contact details (DESIGN §14) sees
| only the account's own parts and a language form; the client themself sees
| who else has access, and an adult sets their caregivers' levels here.
*/
export default class AccountController {
  async show(ctx: HttpContext) {
    const { view, portal } = ctx
    const client = await portal.query('clients').firstOrFail()
    const editsContact = portal.allows('contact')
    const emergencyContacts = editsContact ? await portal.query('emergencyContacts').withScopes((scopes) => scopes.inCallingOrder()) : []
    const preference = await portal.query('clientPreferences').firstOrFail()
    const others = portal.isSelf ? await peopleWithAccess(client.id) : []

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
      callingOrderOptions: portalCallingOrderOptions(ctx.i18n, emergencyContacts.length + 1),
      preference,
      leadHourOptions: portalLeadHourOptions(ctx.i18n, preference.reminderLeadHours),
      languageOptions: localeOptions(),
      language: portal.account.language,
      pendingEmail: pendingEmailChange?.payload?.email ?? null,
      editsContact,
      others,
      setsCaregiverLevels: portal.isSelf && client.isAdultOn(practiceNow()),
    })
  }
}
