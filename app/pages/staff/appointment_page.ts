import type { HttpContext } from '@adonisjs/core/http'
import type Appointment from '#models/appointment'
import { OUTCOME_LABELS } from '#models/appointment'
import PracticeSetting from '#models/practice_setting'
import SessionNote from '#models/session_note'
import ClientPreference from '#models/client_preference'
import StaffUser from '#models/staff_user'
import ClientUser from '#models/client_user'
import AppointmentPolicy from '#policies/appointment_policy'
import { MAX_NOTE_LENGTH } from '#validators/appointment'
import { audit } from '#services/audit'
import AppointmentReminder from '#models/appointment_reminder'
import { maskEmail } from '#support/masking'
import WaitlistEntry from '#models/waitlist_entry'
import { mayWaitFrom, type WaitlistRefusal } from '#actions/waitlist/join_waitlist'
import { DAY_PARTS, DAY_PART_LABELS, WEEKDAYS, WEEKDAY_LABELS } from '#support/request_preferences'

/** Why staff cannot put the client on the waitlist (the page and the refused form say the same). */
export const WAITLIST_REFUSALS: Record<WaitlistRefusal, string> = {
  view_only:
    'The waitlist is off: the practice’s scheduling mode is View only, so no earlier times are offered. Leadership can change the mode in Portal settings.',
  not_upcoming: 'Only a scheduled appointment still to come can be moved to an earlier time.',
  client_not_active: 'The client is not active, so they cannot be offered earlier times.',
}

/** What the note form shows after a refused save: the text as typed, and why. */
export interface NoteDraft {
  body: string
  error: string
}

/**
 * The appointment's page (AppointmentsController.show, and the note form
 * shown again by SessionNotesController). Only its provider (who wrote the
 * note, if there is one) gets the note's text, and each read is audited;
 * everyone else learns only whether a note exists. `draft` re-shows a
 * refused note without sending its text through the session.
 */
export async function renderAppointmentPage(ctx: HttpContext, appointment: Appointment, draft?: NoteDraft) {
  const { bouncer, view } = ctx
  const policy = bouncer.with(AppointmentPolicy)
  const noteAuthorId = await SessionNote.authorIdFor(appointment.id)
  const mayUseNote = await policy.allows('useSessionNote', appointment, noteAuthorId)

  let note: SessionNote | null = null
  if (mayUseNote && noteAuthorId !== null && !draft) {
    note = await SessionNote.query()
      .withScopes((scopes) => scopes.forAppointment(appointment.id))
      .firstOrFail()
    await audit(ctx, {
      action: 'staff.session_note.viewed',
      actorKind: 'staff',
      actorId: ctx.auth.use('staff').getUserOrFail().id,
      clientId: appointment.clientId,
      detail: { appointmentId: appointment.id },
    })
  }

  const settings = await PracticeSetting.current()
  return view.render('pages/staff/appointments/show', {
    appointment,
    contactRules: await ClientPreference.contactRulesOf(appointment.clientId),
    ...(await whoConfirmedAndCancelled(appointment)),
    remindersSent: await remindersSent(appointment),
    mayReschedule: appointment.mayBeRescheduled && (await policy.allows('update', appointment)),
    mayCancel: appointment.mayBeCancelled && (await policy.allows('cancel', appointment)),
    mayRecordOutcome: appointment.mayRecordOutcome && (await policy.allows('recordOutcome', appointment)),
    cancellingIsLate: appointment.isLateCancellation(settings.cancellationWindowHours),
    cancellationWindowHours: settings.cancellationWindowHours,
    outcomeLabels: OUTCOME_LABELS,
    noteExists: noteAuthorId !== null,
    mayUseNote,
    note,
    draft: draft ?? null,
    maxNoteLength: MAX_NOTE_LENGTH,
    waitlist: (await policy.allows('offerEarlierTime', appointment)) ? await waitlistSection(appointment, settings) : null,
  })
}

/**
 * "Offer an earlier time" (issue #22): shown for a scheduled appointment
 * still to come. The client's waiting entry with this clinician if there is
 * one, else why it is off (view_only, client not active), else the form.
 */
async function waitlistSection(appointment: Appointment, settings: PracticeSetting) {
  if (!mayWaitFrom(appointment)) return null
  const entry = await WaitlistEntry.query()
    .withScopes((scopes) => {
      scopes.forClient(appointment.clientId)
      scopes.waiting()
    })
    .where('waitlist_entries.provider_id', appointment.providerId)
    .first()
  const refusal: WaitlistRefusal | null = !settings.clientsMaySchedule
    ? 'view_only'
    : appointment.client.status !== 'active'
      ? 'client_not_active'
      : null
  return {
    entry,
    off: entry ? null : refusal && WAITLIST_REFUSALS[refusal],
    weekdays: WEEKDAYS.map((day) => ({ value: day, label: WEEKDAY_LABELS[day] })),
    dayParts: DAY_PARTS.map((part) => ({ value: part, label: DAY_PART_LABELS[part] })),
  }
}

/**
 * Staff's words for who confirmed and who cancelled (issue #17 item 6):
 * a portal account's display name, "the client, through a reminder link"
 * for the client's own emailed link, a staff member's name for the practice.
 */
async function whoConfirmedAndCancelled(appointment: Appointment) {
  const accountName = async (id: number | null) => (id ? ((await ClientUser.find(id))?.displayName ?? null) : null)
  let confirmedBy: string | null = null
  if (appointment.confirmedAt) {
    const name = await accountName(appointment.confirmedById)
    confirmedBy = name ? `${name} (portal account)` : 'The client, through a reminder link'
  }
  let cancelledBy: string | null = null
  switch (appointment.cancelledByKind) {
    case 'practice': {
      const staff = appointment.cancelledById ? await StaffUser.find(appointment.cancelledById) : null
      cancelledBy = staff ? `The practice (${staff.name})` : 'The practice'
      break
    }
    case 'client': {
      const name = await accountName(appointment.cancelledById)
      cancelledBy = `${name ?? 'A portal account'}, signed in on the portal`
      break
    }
    case 'client_link': {
      const name = await accountName(appointment.cancelledById)
      cancelledBy = name ? `${name}, through a reminder link` : 'The client, through a reminder link'
      break
    }
  }
  return { confirmedBy, cancelledBy }
}

/**
 * The reminders that went out for this appointment (issue #17 item 7): when,
 * to whom (a portal account by its name, anyone else by a masked address).
 * Skipped and withdrawn ones are not "sent".
 */
async function remindersSent(appointment: Appointment) {
  const reminders = await AppointmentReminder.query()
    .where('appointmentId', appointment.id)
    .whereNull('skippedReason')
    .whereNull('withdrawnAt')
    .orderBy('createdAt', 'asc')
  const accountIds = reminders.map((reminder) => reminder.clientUserId).filter((id): id is number => id !== null)
  const accounts = new Map((accountIds.length ? await ClientUser.findMany(accountIds) : []).map((account) => [account.id, account]))
  return reminders.map((reminder) => {
    const account = reminder.clientUserId ? accounts.get(reminder.clientUserId) : undefined
    return {
      at: reminder.createdAt,
      to: account ? `${account.displayName} (portal account)` : maskEmail(reminder.recipientEmail ?? ''),
    }
  })
}
