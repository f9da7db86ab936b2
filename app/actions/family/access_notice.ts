import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Client from '#models/client'
import ClientPreference from '#models/client_preference'
import PracticeSetting from '#models/practice_setting'
import type { AccessLevel, Relationship } from '#models/client_user_link'
import { CONTACT_REFUSALS, mayContact, type ContactRefusal } from '#actions/contact/may_contact'
import { recordWithheld } from '#actions/contact/contact_subjects'
import type { Actor } from '#support/actor'
import { discreetSubject, enqueueMail, mailI18n, mailLocale } from '#services/mail_queue'
import { emailLink } from '#services/email_links'
import { practiceNow } from '#support/practice_time'
import type { PortalLocale } from '#support/locales'

/*
| Access notices (issue #20): the client hears when someone gains access to
| their portal information, when the level of someone's access changes, and
| when someone's access ends — so nobody is watched without knowing.
|
| Who is told: the client's own portal account (an adult's, or a teen's own
| account); with none, an adult client's own email on file. A teen without an
| account of their own is not written to (their parents are the ones with
| access). Every notice asks mayContact(client, 'access_notice') first and is
| queued in the caller's transaction (the outbox): it goes out only if the
| change commits. Names and levels only, nothing clinical.
*/

export type AccessChange = 'gained' | 'level_changed' | 'ended'

export type NoticeOutcome = 'queued' | 'no_recipient' | ContactRefusal

interface Recipient {
  email: string
  locale: PortalLocale
}

/** The client's own account (live, verified, active), else an adult client's own email. */
async function recipientOf(trx: TransactionClientContract, client: Client): Promise<Recipient | null> {
  const own = await trx
    .from('client_user_links')
    .innerJoin('client_users', 'client_users.id', 'client_user_links.client_user_id')
    .where('client_user_links.client_id', client.id)
    .where('client_user_links.relationship', 'self')
    .whereNull('client_user_links.ended_at')
    .whereNotNull('client_user_links.verified_at')
    .where('client_users.status', 'active')
    .orderBy('client_user_links.id')
    .select('client_users.email', 'client_users.language')
    .first()
  if (own) return { email: own.email, locale: mailLocale({ account: { language: own.language } }) }
  if (client.email && client.isAdultOn(practiceNow())) return { email: client.email, locale: mailLocale({ client }) }
  return null
}

/**
 * Queues the notice of one change to one link of `clientId`, in `trx` (the
 * app role's transaction that makes the change). Returns what happened, for
 * the caller's audit event (a refusal's reason is recorded there).
 */
export async function enqueueAccessNotice(
  trx: TransactionClientContract,
  change: {
    clientId: number
    kind: AccessChange
    /** The display name of the account whose access changed. */
    personName: string
    relationship: Relationship
    level: AccessLevel
  }
): Promise<NoticeOutcome> {
  const client = await Client.query({ client: trx }).where('clients.id', change.clientId).firstOrFail()
  const preference = await ClientPreference.query({ client: trx })
    .withScopes((scopes) => scopes.forClient(client.id))
    .first()
  const decision = mayContact({ status: client.status, preference }, 'access_notice')
  if (!decision.allowed) return decision.reason

  const recipient = await recipientOf(trx, client)
  if (!recipient) return 'no_recipient'

  const settings = await PracticeSetting.current()
  await enqueueMail(
    {
      template: 'access_notice',
      to: recipient.email,
      locale: recipient.locale,
      // Discreet mode (DESIGN §15): neutral subject and sender, as every client mail.
      discreet: decision.discreet,
      subject: decision.discreet
        ? discreetSubject('access_notice', recipient.locale)
        : mailI18n(recipient.locale).t('family.notice.subject', { sender: settings.mailSenderName }),
      clientId: client.id,
      data: {
        kind: change.kind,
        person: change.personName,
        relationship: change.relationship,
        level: change.level,
        name: client.displayFirstName,
        accountUrl: emailLink('portal.account.show'),
      },
    },
    { client: trx }
  )
  return 'queued'
}

/** A notice mayContact refused: listed for staff under "Messages not sent" on the client record. */
export async function recordRefusedAccessNotice(actor: Actor, clientId: number, outcome: NoticeOutcome | null | undefined) {
  if (outcome && (CONTACT_REFUSALS as readonly string[]).includes(outcome)) {
    await recordWithheld(actor, { clientId, kind: 'access_notice', reason: outcome as ContactRefusal })
  }
}
