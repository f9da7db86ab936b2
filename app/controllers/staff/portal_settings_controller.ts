import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import ClientUser from '#models/client_user'
import { RELATIONSHIPS, RELATIONSHIP_LABELS } from '#models/client_user_link'
import MailMessage from '#models/mail_message'
import PracticeSetting from '#models/practice_setting'
import PortalInvitation from '#models/portal_invitation'
import { audit } from '#services/audit'
import { mailDeliveryProblem, retryMail } from '#services/mail_queue'
import { invitationExpiryHours } from '#actions/invitations/invitation_rules'
import { updatePracticeSettings } from '#actions/practice_settings/update_practice_settings'
import { actorOf } from '#services/request_actor'
import { leadHourOptions } from '#support/contact_preferences'
import { practiceSettingsValidator } from '#validators/portal_settings'
import practice from '#config/practice'
import { localeOptions } from '#support/locales'
import { pickerState } from '#pages/staff/client_picker'

const PER_PAGE = 25

/*
| Portal Settings (ceo and admin): the portal's figures, reminders and
| cancellations (practice settings), the invite form, invitations, portal
| accounts and mail that could not be delivered. The
| actions live in PortalInvitationsController and PortalAccountsController.
*/
export default class PortalSettingsController {
  async index(ctx: HttpContext) {
    const { request, view, auth } = ctx
    const staff = auth.use('staff').getUserOrFail()
    const invitationsPage = positivePage(request.qs().invitations)
    const accountsPage = positivePage(request.qs().accounts)

    const [figures, settings, picker, invitations, accounts, failedMail] = await Promise.all([
      portalFigures(),
      PracticeSetting.current(),
      // A client's page links here with the client (an id) to invite them.
      pickerState(ctx, staff, 'invite', request.qs().client),
      PortalInvitation.query()
        .withScopes((scopes) => scopes.newestFirst())
        .preload('client')
        .preload('sentBy')
        .paginate(invitationsPage, PER_PAGE),
      ClientUser.query()
        .preload('links', (links) => {
          links
            .preload('client')
            .orderByRaw('client_user_links.ended_at is not null')
            .orderBy('client_user_links.created_at', 'asc')
        })
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .paginate(accountsPage, PER_PAGE),
      MailMessage.query()
        .withScopes((scopes) => scopes.failed())
        .withScopes((scopes) => scopes.newestFirst())
        .limit(50),
    ])
    invitations.baseUrl(urlFor('staff.portal_settings.index')).queryString({ accounts: accountsPage })
    accounts.baseUrl(urlFor('staff.portal_settings.index')).queryString({ invitations: invitationsPage })

    await audit(ctx, { action: 'staff.portal_settings.viewed', actorKind: 'staff', actorId: staff.id })

    return view.render('pages/staff/portal_settings/index', {
      figures,
      settings,
      settingsLeadOptions: leadHourOptions(settings.defaultReminderLeadHours),
      schedulingModeOptions: [
        { value: 'requests', label: 'Requests: cancel ahead of the window and ask for times' },
        { value: 'view_only', label: 'View only: clients call to change appointments' },
      ],
      practiceName: practice.name,
      picker,
      relationshipOptions: RELATIONSHIPS.map((value) => ({ value, label: RELATIONSHIP_LABELS[value] })),
      relationshipLabels: RELATIONSHIP_LABELS,
      languageOptions: [{ value: '', label: 'The client’s email language' }, ...localeOptions()],
      expiryHours: invitationExpiryHours(),
      invitations,
      accounts,
      failedMail,
      mailProblem: mailDeliveryProblem(),
    })
  }

  /** The practice's run-time settings (DESIGN §13): reminders, cancelling, scheduling mode, safety, family, insights. */
  async updateSettings(ctx: HttpContext) {
    const { request, response, session } = ctx
    const toForm = () => response.redirect().toPath(`${urlFor('staff.portal_settings.index')}#practice-settings`)
    const [invalid, input] = await request.tryValidateUsing(practiceSettingsValidator)
    if (invalid) {
      session.flashValidationErrors(invalid)
      return toForm()
    }
    const changed = await updatePracticeSettings(
      {
        remindersEnabled: input.remindersEnabled ?? false,
        defaultReminderLeadHours: input.defaultReminderLeadHours,
        cancellationWindowHours: input.cancellationWindowHours,
        senderName: input.senderName || null,
        schedulingMode: input.schedulingMode,
        quickExitUrl: input.quickExitUrl,
        teenAge: input.teenAge,
        dropOffDays: input.dropOffDays,
      },
      actorOf(ctx)
    )
    session.flash('success', changed.length ? 'The practice settings are saved.' : 'Nothing was changed.')
    return toForm()
  }

  /** A mail that finally failed goes back into the queue. */
  async retryMail(ctx: HttpContext) {
    const { params, session, response, auth } = ctx
    const staff = auth.use('staff').getUserOrFail()
    await retryMail(Number(params.id))
    await audit(ctx, {
      action: 'staff.mail.retried',
      actorKind: 'staff',
      actorId: staff.id,
      detail: { mailId: Number(params.id) },
    })
    session.flash('success', 'The email is back in the queue and will be sent again shortly.')
    return response.redirect().toPath(`${urlFor('staff.portal_settings.index')}#failed-mail`)
  }
}

function positivePage(value: unknown) {
  const page = Number(value)
  return Number.isInteger(page) && page > 0 && page < 100_000 ? page : 1
}

/** Portal adoption at a glance (the seed's "Make Money" made visible). */
async function portalFigures() {
  const since = DateTime.now().minus({ days: 30 }).toSQL()!
  const machinery = db.connection('machinery')
  const [invitations, accounts] = await Promise.all([
    machinery
      .from('portal_invitations')
      .whereNull('revoked_at')
      .select(
        machinery.raw('count(*)::int as invited'),
        machinery.raw('count(accepted_at)::int as accepted')
      )
      .first(),
    machinery
      .from('client_users')
      .select(
        machinery.raw(`count(*) filter (where status = 'active')::int as active`),
        machinery.raw(`count(*) filter (where status <> 'disabled' and last_sign_in_at >= ?)::int as recent`, [since])
      )
      .first(),
  ])
  return {
    invited: invitations.invited as number,
    accepted: invitations.accepted as number,
    activeAccounts: accounts.active as number,
    signedInLast30Days: accounts.recent as number,
  }
}
