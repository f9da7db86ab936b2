/*
| Who hears about an appointment, and what they read (issue #17, DESIGN §14
| to §16): shared by reminders (send_due_reminders.ts) and the notices staff
| changes send (send_appointment_notice.ts).
|
| Recipients: every live, verified link of an active portal account whose
| access holds today (the client active; a parent's link ends at 18) — every
| level of §14 receives reminders and notices — at its sign-in email, in its
| own language. With no such account: the client's own email on file when
| the client is an adult, in the client's email language, with a line saying
| how to stop them.
|
| Content: day and time in the practice's time zone in the reader's
| language, in person or by video, the practice phone, the crisis line and a
| link to the portal's appointment page. Provider, type and address only with
| detail consent — without it they are not even stored in the queued mail.
| Discreet mode (mayContact's `discreet`) overrides that consent: a neutral
| subject and sender, no details, a calendar file titled "Appointment".
| Never clinical. The .ics is built now (same UID as the portal's file,
| SEQUENCE = calendar_sequence) and kept with the queued mail until it is sent.
*/
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Appointment from '#models/appointment'
import type Client from '#models/client'
import ClientPreference from '#models/client_preference'
import { mayShowDetails } from '#actions/contact/may_contact'
import PracticeSetting from '#models/practice_setting'
import { emailLink } from '#services/email_links'
import { issueAppointmentActionLink } from '#actions/appointment_actions/issue_appointment_action_link'
import { discreetSubject, enqueueMail, mailI18n, mailLocale, type MailTemplate } from '#services/mail_queue'
import { appointmentCalendar } from '#services/appointment_calendar'
import { formatDate, formatTime, practiceNow } from '#support/practice_time'
import { INTL_LOCALES, type PortalLocale } from '#support/locales'

export interface AppointmentRecipient {
  /** The portal account; null: the client's own email (no account). */
  clientUserId: number | null
  email: string
  locale: PortalLocale
}

export type NoticeKind = 'booked' | 'rescheduled' | 'cancelled'

/** The recipients of each client's appointment mail, by client id (an empty list: nobody to write to). */
export async function recipientsOf(
  clients: Client[],
  options: { client?: TransactionClientContract; today?: DateTime } = {}
): Promise<Map<number, AppointmentRecipient[]>> {
  const today = options.today ?? practiceNow()
  const result = new Map<number, AppointmentRecipient[]>(clients.map((client) => [client.id, []]))
  if (!clients.length) return result
  const links: { client_id: number; client_user_id: number; relationship: string; email: string; language: string }[] =
    await (options.client ?? db.connection('machinery'))
      .from('client_user_links')
      .innerJoin('client_users', 'client_users.id', 'client_user_links.client_user_id')
      .whereIn('client_user_links.client_id', clients.map((client) => client.id))
      .whereNull('client_user_links.ended_at')
      .whereNotNull('client_user_links.verified_at')
      .where('client_users.status', 'active')
      .orderBy('client_user_links.id')
      .select('client_user_links.client_id', 'client_user_links.client_user_id', 'client_user_links.relationship',
        'client_users.email', 'client_users.language')

  const byId = new Map(clients.map((client) => [client.id, client]))
  for (const link of links) {
    const client = byId.get(Number(link.client_id))!
    // Access as the portal grants it today (ClientUserLink#grantsAccessOn).
    if (client.status !== 'active') continue
    if (link.relationship === 'parent' && client.isAdultOn(today)) continue
    result.get(client.id)!.push({
      clientUserId: Number(link.client_user_id),
      email: link.email,
      locale: mailLocale({ account: { language: link.language } }),
    })
  }
  for (const client of clients) {
    const list = result.get(client.id)!
    if (!list.length && client.email && client.isAdultOn(today)) {
      list.push({ clientUserId: null, email: client.email, locale: mailLocale({ client }) })
    }
  }
  return result
}

/**
 * Queues one reminder or notice to one recipient, in `trx`. The appointment
 * needs its client with `preference`, its `appointmentType` and `provider`.
 */
export async function enqueueAppointmentMail(
  trx: TransactionClientContract,
  input: {
    template: Extract<MailTemplate, 'appointment_reminder' | 'appointment_notice'>
    appointment: Appointment
    recipient: AppointmentRecipient
    settings: PracticeSetting
    notice?: NoticeKind
    /** mayContact's answer: discreet mode. */
    discreet: boolean
  }
) {
  const { appointment, recipient, settings, discreet } = input
  const client = appointment.client
  // `discreet` may come from a decision over several clients (mayContactAll): it overrides as well.
  const details = !discreet && mayShowDetails(client.preference)
  const i18n = mailI18n(recipient.locale)
  const intl = INTL_LOCALES[recipient.locale]
  const sender = settings.mailSenderName
  const subject = discreet
    ? discreetSubject(input.template, recipient.locale)
    : input.template === 'appointment_reminder'
      ? i18n.t('reminders.reminder.subject', { sender })
      : i18n.t('reminders.notice.subject', { sender, kind: input.notice ?? 'booked' })

  // What the appointment's ProviderName would say, for the calendar file.
  if (details && appointment.provider) {
    appointment.$setRelated('providerName' as never, { name: appointment.provider.name } as never)
  }
  // "Confirm / I can't make it" (DESIGN §17): one link per appointment and recipient, committed with the mail.
  const actionLink =
    input.notice === 'cancelled'
      ? null
      : await issueAppointmentActionLink(
          {
            appointmentId: appointment.id,
            recipient: recipient.clientUserId !== null ? { clientUserId: recipient.clientUserId } : { email: recipient.email },
          },
          { client: trx }
        )
  const calendarIcs = appointmentCalendar(appointment, i18n, {
    details,
    discreet,
    method: input.notice === 'cancelled' ? 'CANCEL' : 'REQUEST',
  })

  return enqueueMail(
    {
      template: input.template,
      to: recipient.email,
      subject,
      locale: recipient.locale,
      clientId: client.id,
      discreet,
      data: {
        notice: input.notice ?? null,
        /** Its links end when the appointment starts: after that tokens:purge empties the stored mail. */
        linksExpireAt: appointment.startsAt.toISO(),
        day: formatDate(appointment.startsAt, intl),
        time: formatTime(appointment.startsAt, intl),
        telehealth: appointment.isTelehealth,
        link: emailLink('portal.appointments.show', { id: appointment.id }),
        actionLink,
        /** Someone without a portal account: the mail says how to stop these. */
        noAccount: recipient.clientUserId === null,
        details,
        ...(details
          ? {
              provider: appointment.provider?.name ?? null,
              type: appointment.appointmentType?.name ?? null,
              location: appointment.isTelehealth ? null : appointment.location,
            }
          : {}),
        calendarIcs,
        calendarMethod: input.notice === 'cancelled' ? 'CANCEL' : 'REQUEST',
      },
    },
    { client: trx }
  )
}

/** Appointments with what their mail needs: client and its preferences, type, provider. */
export async function appointmentsForMail(ids: number[], trx?: TransactionClientContract) {
  const client = trx ?? db.connection('machinery')
  let appointments: Appointment[]
  if (trx) {
    // One connection: its relations one after the other (preloads would query it concurrently).
    appointments = await Appointment.query({ client }).whereIn('appointments.id', ids)
    for (const appointment of appointments) {
      for (const relation of ['client', 'appointmentType', 'provider'] as const) await appointment.load(relation)
    }
  } else {
    appointments = await Appointment.query({ client })
      .whereIn('appointments.id', ids)
      .preload('client')
      .preload('appointmentType')
      .preload('provider')
  }
  const clientIds = [...new Set(appointments.map((appointment) => appointment.clientId))]
  const preferences = clientIds.length
    ? await ClientPreference.query({ client }).whereIn('client_id', clientIds)
    : []
  const byClient = new Map(preferences.map((preference) => [preference.clientId, preference]))
  for (const appointment of appointments) {
    appointment.client.$setRelated('preference', byClient.get(appointment.clientId) ?? (null as never))
  }
  return appointments
}
