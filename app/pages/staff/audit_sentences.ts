import type AuditEvent from '#models/audit_event'

/*
| The audit log in plain language: "Alex Rivera downloaded Sleep hygiene
| tips for Sam Lee." Each action has a phrase; {client}, {resource} and
| {staff} stand for the names behind the event's ids. An action without a
| phrase (a new one) still reads as words. The stored code stays visible,
| small, for whoever searches the trail by it.
*/
const PHRASES: Record<string, string> = {
  // Signing in and out
  'staff.sign_in': 'signed in',
  'staff.sign_in_failed': 'could not sign in (wrong password or code)',
  'staff.sign_in_throttled': 'was paused after too many staff sign-in attempts',
  'staff.sign_out': 'signed out',
  'portal.sign_in': 'signed in to the portal',
  'portal.sign_in_failed': 'could not sign in to the portal',
  'portal.sign_in_throttled': 'was paused after too many portal sign-in attempts',
  'portal.sign_out': 'signed out of the portal',
  'staff.password_reset.requested': 'asked for a staff password reset',
  'staff.password_reset.completed': 'set a new password',
  'portal.password_reset.requested': 'asked for a portal password reset',
  'portal.password_reset.completed': 'set a new portal password',
  'staff.two_factor.enrolled': 'turned on two-factor sign-in',
  'staff.two_factor.enrolment_failed': 'could not turn on two-factor sign-in (wrong code)',
  'staff.two_factor.failed': 'entered a wrong two-factor code',
  'staff.two_factor.throttled': 'was paused after too many two-factor codes',
  'staff.two_factor.recovery_code_used': 'signed in with a recovery code',
  'staff.staff.two_factor_reset': 'reset the two-factor sign-in of {staff}',
  'operator.staff.two_factor_reset': 'reset the two-factor sign-in of {staff} from the shell',
  // Clients
  'staff.client.viewed': 'opened the record of {client}',
  'staff.client.created': 'added {client}',
  'staff.client.updated': 'changed the record of {client}',
  'staff.client.status_changed': 'changed the status of {client}',
  'staff.clients.searched': 'searched for clients',
  'staff.client.contact_rules_updated': 'changed the contact rules of {client}',
  // Appointments
  'staff.appointment.created': 'booked an appointment for {client}',
  'staff.appointment.rescheduled': 'moved an appointment of {client}',
  'staff.appointment.cancelled': 'cancelled an appointment of {client}',
  'staff.appointment.status_changed': 'recorded how an appointment of {client} went',
  'staff.session_note.written': 'wrote the session note of an appointment of {client}',
  'staff.session_note.viewed': 'read the session note of an appointment of {client}',
  'staff.appointment_type.created': 'added an appointment type',
  'staff.appointment_type.updated': 'changed an appointment type',
  'staff.appointment_type.activated': 'offered an appointment type again',
  'staff.appointment_type.deactivated': 'stopped offering an appointment type',
  'system.appointment.notice': 'queued an appointment notice to {client}',
  'system.reminders.queued': 'queued appointment reminders',
  // Resources
  'staff.resource.uploaded': 'uploaded {resource}',
  'staff.resource.updated': 'changed the details of {resource}',
  'staff.resource.downloaded': 'downloaded {resource}',
  'staff.resource.shared': 'shared {resource} with {client}',
  'staff.resource.unshared': 'stopped sharing {resource} with {client}',
  'staff.resource.archived': 'archived {resource}',
  'staff.resource.unarchived': 'brought back {resource} from the archive',
  'staff.resource_category.created': 'added a resource category',
  'staff.resource_category.renamed': 'renamed a resource category',
  'staff.resource_category.reordered': 'reordered the resource categories',
  // Portal access
  'staff.invitation.sent': 'invited someone to the portal for {client}',
  'staff.invitation.resent': 'sent a portal invitation for {client} again',
  'staff.invitation.revoked': 'revoked a portal invitation for {client}',
  'operator.invitation.sent': 'invited someone to the portal for {client} from the shell',
  'staff.invitation.accepted': 'accepted the invitation to the staff side',
  'staff.portal_account.disabled': 'turned off a portal account',
  'staff.portal_account.enabled': 'turned a portal account back on',
  'operator.portal_account.disabled': 'turned off a portal account from the shell',
  'staff.portal_link.ended': 'ended a portal account’s access to {client}',
  'staff.portal_link.suspended': 'turned off a portal account with access to {client}',
  'operator.portal_link.suspended': 'turned off a portal account with access to {client} from the shell',
  'staff.portal_link.restored': 'turned back on a portal account with access to {client}',
  'system.portal_link.ended_at_eighteen': 'ended a parent’s portal access to {client} at their 18th birthday',
  'staff.portal_settings.viewed': 'opened Portal Settings',
  'staff.practice_settings.updated': 'changed the practice settings',
  'staff.mail.retried': 'sent a failed email again',
  // Staff accounts
  'staff.staff_account.invited': 'invited {staff} to the staff side',
  'staff.staff_account.invitation_resent': 'sent the staff invitation of {staff} again',
  'staff.staff_account.deactivated': 'deactivated the account of {staff}',
  'staff.staff_account.reactivated': 'reactivated the account of {staff}',
  'staff.staff_account.role_changed': 'changed the role of {staff}',
  'operator.staff.created': 'created a staff account from the shell',
  // The trail itself
  'staff.audit_log.viewed': 'opened the audit log',
  'staff.audit_log.exported': 'downloaded the audit log as CSV',
  'operator.audit.exported': 'exported the audit log from the shell',
  'operator.tokens.purged': 'cleared expired links and stored mail',
  // The portal
  'portal.onboarding.completed': 'finished setting up the portal for {client}',
  'portal.identity.verified': 'confirmed the identity of {client} for the portal',
  'portal.identity.failed': 'could not confirm the identity of {client}',
  'portal.invitation.accepted': 'accepted a portal invitation for {client}',
  'portal.invitation.locked': 'locked a portal invitation for {client} with too many wrong answers',
  'portal.client.switched': 'switched the portal to {client}',
  'portal.access.refused': 'was refused a portal page of {client}',
  'portal.access.ended': 'lost portal access to {client}',
  'portal.appointments.viewed': 'viewed the appointments of {client}',
  'portal.appointment.viewed': 'viewed an appointment of {client}',
  'portal.appointment.calendar_downloaded': 'added an appointment of {client} to a calendar',
  'portal.appointment.confirmed': 'confirmed an appointment of {client}',
  'portal.appointment.cancelled': 'cancelled an appointment of {client}',
  'portal.appointment_action.viewed': 'opened the confirm-or-cancel page of an appointment of {client}',
  'portal.appointment_action.refused': 'was refused a change to an appointment of {client}',
  'portal.resources.viewed': 'viewed the resources shared with {client}',
  'portal.resource.downloaded': 'downloaded {resource} for {client}',
  'portal.profile.updated': 'updated the details of {client}',
  'portal.account.viewed': 'opened the account page of {client}',
  'portal.password.changed': 'changed their portal password',
  'portal.sign_in_email.change_requested': 'asked to change their sign-in email',
  'portal.sign_in_email.changed': 'changed their sign-in email',
  'portal.emergency_contact.added': 'added an emergency contact of {client}',
  'portal.emergency_contact.updated': 'changed an emergency contact of {client}',
  'portal.emergency_contact.removed': 'removed an emergency contact of {client}',
}

const SIDE_LABELS: Record<string, string> = {
  staff: 'Staff',
  portal: 'Portal',
  system: 'System',
  operator: 'Shell',
}

export interface AuditNames {
  staff: Map<number, string>
  portalAccounts: Map<number, string>
  clients: Map<number, string>
  resources: Map<number, string>
}

/** "resource category reordered" for an action without a phrase. */
function wordsOf(action: string) {
  const parts = action.split('.')
  return (parts.length > 1 ? parts.slice(1) : parts).join(' ').replaceAll('_', ' ')
}

/** How an action reads in the filter's list: "Portal: downloaded a resource for a client". */
export function actionLabel(action: string) {
  const side = SIDE_LABELS[action.split('.')[0]] ?? action.split('.')[0]
  const phrase = PHRASES[action] ?? wordsOf(action)
  const general = phrase.replaceAll('{client}', 'a client').replaceAll('{resource}', 'a resource').replaceAll('{staff}', 'a staff member')
  return `${side}: ${general}`
}

/** How a family of actions reads in the filter's list. */
export function familyLabel(family: string) {
  const side = family.replace(/\.$/, '')
  return `${SIDE_LABELS[side] ?? side}: everything`
}

/** The person (or machine) who acted, by name. */
export function actorName(event: Pick<AuditEvent, 'actorKind' | 'actorId' | 'action'>, names: AuditNames) {
  if (event.actorKind === 'staff') return (event.actorId !== null && names.staff.get(event.actorId)) || 'A staff member'
  if (event.actorKind === 'client_user') {
    const name = event.actorId !== null ? names.portalAccounts.get(event.actorId) : undefined
    return name ? `${name} (portal)` : 'A portal account'
  }
  if (event.actorKind === 'system') return event.action.startsWith('operator.') ? 'An operator' : 'The system'
  return 'Someone not signed in'
}

function detailValue(event: Pick<AuditEvent, 'detail'>, key: string): number | null {
  const value = (event.detail as Record<string, unknown> | null)?.[key]
  return typeof value === 'number' ? value : null
}

/** The whole sentence of an event. */
export function auditSentence(event: Pick<AuditEvent, 'action' | 'actorKind' | 'actorId' | 'clientId' | 'detail'>, names: AuditNames) {
  const client = event.clientId !== null ? (names.clients.get(event.clientId) ?? `client #${event.clientId}`) : 'a client'
  const resourceId = detailValue(event, 'resourceId')
  const resource = resourceId !== null ? (names.resources.get(resourceId) ?? `resource #${resourceId}`) : 'a resource'
  const staffId = detailValue(event, 'staffId')
  const staffName = staffId !== null ? (names.staff.get(staffId) ?? `staff account #${staffId}`) : 'a staff member'
  const known = PHRASES[event.action]
  let phrase = (known ?? wordsOf(event.action))
    .replaceAll('{client}', client)
    .replaceAll('{resource}', `“${resource}”`)
    .replaceAll('{staff}', staffName)
  if (!known && event.clientId !== null) phrase += ` (${client})`
  return `${actorName(event, names)} ${phrase}.`
}

const DETAIL_LABELS: Record<string, string> = {
  appointmentId: 'Appointment',
  resourceId: 'Resource',
  clientId: 'Client',
  staffId: 'Staff account',
  accountId: 'Portal account',
  contactId: 'Emergency contact',
  providerId: 'Clinician',
  resultCount: 'Matches',
  fields: 'Fields',
  from: 'From',
  to: 'To',
  rows: 'Rows',
  page: 'Page',
  filters: 'Filters',
}

/** The event's detail as a short list of plain labels and values (ids and kinds only: nothing else is stored). */
export function auditDetails(event: Pick<AuditEvent, 'detail'>, names: AuditNames) {
  const detail = (event.detail ?? {}) as Record<string, unknown>
  return Object.entries(detail).map(([key, raw]) => {
    const label = DETAIL_LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase())
    let value = raw === null || raw === undefined ? '—' : typeof raw === 'object' ? JSON.stringify(raw) : String(raw)
    if (typeof raw === 'number') {
      const named =
        key === 'resourceId' ? names.resources.get(raw) : key === 'staffId' || key === 'providerId' ? names.staff.get(raw) : key === 'clientId' ? names.clients.get(raw) : undefined
      value = named ? `${named} (#${raw})` : key.endsWith('Id') ? `#${raw}` : String(raw)
    }
    if (typeof raw === 'boolean') value = raw ? 'yes' : 'no'
    if (key === 'fields' && typeof raw === 'string') value = raw.split(',').join(', ')
    return { label, value }
  })
}
