import type { Infer } from '@vinejs/vine/types'
import type { PortalContext } from '#portal/portal_context'
import type { onboardingProfileValidator } from '#validators/portal_onboarding'
import { auditBy } from '#services/audit'
import type { Actor } from '#support/actor'
import type { PortalLocale } from '#support/locales'

export type OnboardingProfile = Infer<typeof onboardingProfileValidator>

/** The active client's first emergency contact, as the profile step shows and updates it. */
export function firstEmergencyContact(portal: PortalContext) {
  return portal
    .query('emergencyContacts')
    .withScopes((scopes) => scopes.inCallingOrder())
    .first()
}

/**
 * The last onboarding step: saves the profile of the active client (contact
 * details, the first emergency contact, preferences) in the request's RLS
 * transaction, then makes the account active.
 */
export async function completeOnboarding(portal: PortalContext, profile: OnboardingProfile, actor: Actor) {
  const client = await portal.query('clients').firstOrFail()
  await client.mergeContactDetails(profile).save()

  const contactDetails = {
    name: profile.contactName,
    relationship: profile.contactRelationship,
    phone: profile.contactPhone,
    email: profile.contactEmail ?? null,
  }
  const contact = await firstEmergencyContact(portal)
  if (contact) await contact.merge(contactDetails).save()
  else await portal.create('emergencyContacts', { ...contactDetails, priority: 1 })

  const preference = await portal.query('clientPreferences').firstOrFail()
  await preference.mergeChoices(profile).save()

  // The account itself is machinery (app role), outside the client's transaction.
  portal.account.status = 'active'
  portal.account.language = profile.language
  await portal.account.save()
  await auditBy(actor, {
    action: 'portal.onboarding.completed',
    actorKind: 'client_user',
    actorId: portal.account.id,
    clientId: portal.client.id,
  })
}

/**
 * The last step for a guardian whose level does not include the client's
 * contact details (DESIGN §14): only the account's own language, then active.
 */
export async function completeOnboardingWithoutProfile(portal: PortalContext, language: PortalLocale, actor: Actor) {
  portal.account.status = 'active'
  portal.account.language = language
  await portal.account.save()
  await auditBy(actor, {
    action: 'portal.onboarding.completed',
    actorKind: 'client_user',
    actorId: portal.account.id,
    clientId: portal.client.id,
    detail: { profile: false },
  })
}
