import type { HttpContext } from '@adonisjs/core/http'
import Client from '#models/client'
import EmergencyContact, { callingOrderOptions } from '#models/emergency_contact'
import ClientPreference, {
  PREFERRED_LANGUAGES,
  REMINDER_LEAD_HOURS_CHOICES,
} from '#models/client_preference'
import OneTimeToken from '#models/one_time_token'
import { PASSWORD_RULE_TEXT } from '#validators/password'
import { auditPortal } from '#services/audit'

/*
| The Account page: the account's own sign-in (email, password) and the
| active client's contact details, emergency contacts and preferences. Each
| part has its own form and controller; they all come back here.
*/
export default class AccountController {
  async show(ctx: HttpContext) {
    const { view, portal } = ctx
    const clientId = portal.client.id

    // The client's data: in the request's RLS transaction, through forClient().
    const client = await Client.query({ client: portal.trx })
      .withScopes((scopes) => scopes.forClient(clientId))
      .firstOrFail()
    const emergencyContacts = await EmergencyContact.query({ client: portal.trx })
      .withScopes((scopes) => scopes.forClient(clientId))
      .withScopes((scopes) => scopes.inCallingOrder())
    const preference = await ClientPreference.query({ client: portal.trx })
      .withScopes((scopes) => scopes.forClient(clientId))
      .firstOrFail()

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
      isSelf: portal.link.relationship === 'self',
      emergencyContacts,
      newContactPriority: Math.min(emergencyContacts.length + 1, 9),
      callingOrderOptions: callingOrderOptions(emergencyContacts.length + 1),
      preference,
      leadHourOptions: leadHourOptions(preference.reminderLeadHours),
      languageOptions: Object.entries(PREFERRED_LANGUAGES).map(([value, label]) => ({ value, label })),
      pendingEmail: pendingEmailChange?.payload?.email ?? null,
      passwordRuleText: PASSWORD_RULE_TEXT,
    })
  }
}

/** The usual choices, plus the current one if staff set something else. */
function leadHourOptions(current: number) {
  const hours = [...new Set<number>([...REMINDER_LEAD_HOURS_CHOICES, current])].sort((a, b) => a - b)
  return hours.map((value) => ({ value, label: leadTimeLabel(value) }))
}

function leadTimeLabel(hours: number) {
  if (hours % 24 === 0) return hours === 24 ? '1 day before' : `${hours / 24} days before`
  return hours === 1 ? '1 hour before' : `${hours} hours before`
}
