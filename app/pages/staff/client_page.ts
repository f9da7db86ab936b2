import { DateTime } from 'luxon'
import Appointment from '#models/appointment'
import type Client from '#models/client'
import { PORTAL_STATUS_LABELS } from '#models/client'
import ClientPreference from '#models/client_preference'
import AuditEvent from '#models/audit_event'
import { CONTACT_KINDS, CONTACT_REFUSAL_LABELS } from '#actions/contact/may_contact'
import { WITHHELD_ACTIONS } from '#actions/contact/contact_subjects'
import { SESSION_LANGUAGES, leadHourOptions } from '#support/contact_preferences'
import { LOCALE_NAMES } from '#support/locales'
import { ACCESS_LEVELS, ACCESS_LEVEL_LABELS, RELATIONSHIP_LABELS } from '#models/client_user_link'
import PracticeSetting from '#models/practice_setting'
import { practiceNow } from '#support/practice_time'

/** Appointments shown per list on the client page; the Appointments area has the rest. */
const APPOINTMENTS_SHOWN = 25

/**
 * What the staff client page shows besides the record's own details
 * (Client.withRecordDetails): the next and the last appointments, the
 * preferences and contact rules (a form for those who may edit them) and
 * the words for the statuses.
 */
export async function clientRecordPage(
  client: Client,
  { mayEditContactRules, maySetLinkLevels = false }: { mayEditContactRules: boolean; maySetLinkLevels?: boolean }
) {
  const { teenAge } = await PracticeSetting.current()
  const now = DateTime.now()
  const appointmentsOfClient = () =>
    Appointment.query()
      .withScopes((scopes) => scopes.forClient(client.id))
      .preload('provider')
      .preload('appointmentType')
      .limit(APPOINTMENTS_SHOWN + 1)
  const [upcoming, past, preference, withheld] = await Promise.all([
    appointmentsOfClient().withScopes((scopes) => scopes.upcoming(now)),
    appointmentsOfClient().withScopes((scopes) => scopes.past(now)),
    ClientPreference.query()
      .withScopes((scopes) => scopes.forClient(client.id))
      .first(),
    withheldMessages(client.id),
  ])

  return {
    client,
    preference,
    withheld,
    mayEditContactRules: mayEditContactRules && preference !== null,
    contactRuleLeadOptions: leadHourOptions(preference?.reminderLeadHours),
    portalStatus: client.portalStatus(),
    portalStatusLabels: PORTAL_STATUS_LABELS,
    relationshipLabels: RELATIONSHIP_LABELS,
    // Family access levels (DESIGN §14): ceo and admin set them here.
    maySetLinkLevels,
    accessLevelOptions: ACCESS_LEVELS.map((value) => ({ value, label: ACCESS_LEVEL_LABELS[value] })),
    accessLevelLabels: ACCESS_LEVEL_LABELS,
    isTeen: client.isTeenOn(practiceNow(), teenAge),
    languageLabels: SESSION_LANGUAGES,
    emailLanguageLabels: LOCALE_NAMES,
    upcoming: upcoming.slice(0, APPOINTMENTS_SHOWN),
    moreUpcoming: upcoming.length > APPOINTMENTS_SHOWN,
    past: past.slice(0, APPOINTMENTS_SHOWN),
    morePast: past.length > APPOINTMENTS_SHOWN,
    appointmentsShown: APPOINTMENTS_SHOWN,
  }
}

/** Messages shown at most on the client page as "not sent". */
const WITHHELD_SHOWN = 10

/**
 * The latest messages the contact rules held back (recordWithheld's audit
 * events), in staff's words: when, which message, why.
 */
async function withheldMessages(clientId: number) {
  const events = await AuditEvent.query()
    .withScopes((scopes) => scopes.forClient(clientId))
    .whereIn('audit_events.action', WITHHELD_ACTIONS)
    .withScopes((scopes) => scopes.newestFirst())
    .limit(WITHHELD_SHOWN)
  return events.map((event) => {
    const detail = (event.detail ?? {}) as { kind?: string; reason?: string }
    return {
      at: event.occurredAt,
      kind: (CONTACT_KINDS as Record<string, { label: string }>)[detail.kind ?? '']?.label ?? String(detail.kind),
      reason: (CONTACT_REFUSAL_LABELS as Record<string, string>)[detail.reason ?? ''] ?? String(detail.reason),
    }
  })
}
