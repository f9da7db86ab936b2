import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Client from '#models/client'
import ClientPreference from '#models/client_preference'
import PracticeSetting from '#models/practice_setting'
import type AppointmentRequest from '#models/appointment_request'
import { mayContact, mayShowDetails, type ContactRefusal } from '#actions/contact/may_contact'
import { recipientsOf } from '#actions/reminders/appointment_mail'
import { discreetSubject, enqueueMail, mailI18n } from '#services/mail_queue'
import { emailLink } from '#services/email_links'

/*
| The mail that tells the person who asked that the practice replied
| (booked or declined, issue #19 item 4). A booking says only that the
| practice replied (the booked time comes in the booking's own notice). A
| decline carries the practice's message when the client consents to
| details in email and is not in discreet mode (it may name a provider, as
| a detailed reminder does); otherwise it says only that the practice
| replied and to sign in to read it. The request's note never leaves the
| portal: it is in no mail. Only to the account that asked, while its
| access is live, and only as mayContact allows. Queued in the caller's
| transaction, so it goes out only if the decision is kept.
*/
export async function queueRequestUpdateMail(trx: TransactionClientContract, request: AppointmentRequest) {
  const client = await Client.query({ client: trx }).where('clients.id', request.clientId).firstOrFail()
  const preference = await ClientPreference.query({ client: trx }).where('client_id', client.id).first()
  client.$setRelated('preference', preference ?? (null as never))
  const decision = mayContact(client, 'request_update')
  if (!decision.allowed) return { sent: 0, notSent: decision.reason as ContactRefusal | 'no_recipient' }

  const recipients = (await recipientsOf([client], { client: trx })).get(client.id) ?? []
  const asker = recipients.find((recipient) => recipient.clientUserId === request.clientUserId)
  if (!asker) return { sent: 0, notSent: 'no_recipient' as const }

  const sender = (await PracticeSetting.current()).mailSenderName
  const declineMessage = request.status === 'declined' && mayShowDetails(preference) ? request.declineMessage : null
  await enqueueMail(
    {
      template: 'appointment_request_update',
      to: asker.email,
      // Discreet mode (DESIGN §15): the neutral subject, and the worker signs with the neutral name.
      discreet: decision.discreet,
      subject: decision.discreet
        ? discreetSubject('appointment_request_update', asker.locale)
        : mailI18n(asker.locale).t('requests.mail.subject', { sender }),
      locale: asker.locale,
      clientId: client.id,
      data: {
        sender: decision.discreet ? null : sender,
        link: emailLink('portal.appointment_requests.index'),
        // Not kept once sent: delivery empties a mail's data (jobs/deliver_mail.ts).
        ...(declineMessage ? { declineMessage } : {}),
      },
    },
    { client: trx }
  )
  return { sent: 1, notSent: null }
}
