import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Infer } from '@vinejs/vine/types'
import Client from '#models/client'
import type ClientUser from '#models/client_user'
import ClientPreference from '#models/client_preference'
import EmergencyContact from '#models/emergency_contact'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'
import type { onboardingProfileValidator } from '#validators/portal_onboarding'

/** The portal request's account, active client and RLS transaction, where the profile is saved. */
export interface OnboardingPortal {
  account: ClientUser
  client: { id: number }
  trx: TransactionClientContract
}

export type OnboardingProfile = Infer<typeof onboardingProfileValidator>

/** The active client's first emergency contact, as the profile step shows and updates it. */
export function firstEmergencyContact(portal: OnboardingPortal) {
  return EmergencyContact.query({ client: portal.trx })
    .withScopes((scopes) => scopes.forClient(portal.client.id))
    .withScopes((scopes) => scopes.inCallingOrder())
    .first()
}

/**
 * Saves the profile of the active client (contact details, the first
 * emergency contact, preferences) in the request's RLS transaction, then
 * makes the account active: onboarding is complete.
 */
export async function completeOnboarding(portal: OnboardingPortal, profile: OnboardingProfile, actor: Actor) {
  const clientId = portal.client.id

  const client = await Client.query({ client: portal.trx })
    .withScopes((scopes) => scopes.forClient(clientId))
    .firstOrFail()
  client.merge({
    phone: profile.phone,
    addressLine1: profile.addressLine1 ?? null,
    addressLine2: profile.addressLine2 ?? null,
    city: profile.city ?? null,
    region: profile.region ?? null,
    postalCode: profile.postalCode ?? null,
  })
  await client.save()

  const contactDetails = {
    name: profile.contactName,
    relationship: profile.contactRelationship,
    phone: profile.contactPhone,
    email: profile.contactEmail ?? null,
  }
  const contact = await firstEmergencyContact(portal)
  if (contact) await contact.merge(contactDetails).save()
  else await EmergencyContact.create({ ...contactDetails, clientId, priority: 1 }, { client: portal.trx })

  const preference = await ClientPreference.query({ client: portal.trx })
    .withScopes((scopes) => scopes.forClient(clientId))
    .firstOrFail()
  await preference
    .merge({
      reminderChannel: profile.reminderChannel,
      reminderLeadHours: profile.reminderLeadHours,
      preferredLanguage: profile.preferredLanguage,
      // An unticked box is not sent at all: it means "no".
      consentEmail: profile.consentEmail ?? false,
      consentSms: profile.consentSms ?? false,
      consentDetailsInEmail: profile.consentDetailsInEmail ?? false,
    })
    .save()

  // The account itself is machinery (app role), outside the client's transaction.
  portal.account.status = 'active'
  await portal.account.save()
  await auditBy(actor, {
    action: 'portal.onboarding.completed',
    actorKind: 'client_user',
    actorId: portal.account.id,
    clientId,
  })
}
