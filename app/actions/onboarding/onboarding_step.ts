import type ClientUser from '#models/client_user'
import { pendingVerification } from '#actions/invitations/verify_identity'

/*
| Where an invited person is in onboarding, and its last step. Someone who
| leaves halfway signs in later and lands on the step they left.
*/
export type OnboardingStep = 'verify' | 'profile' | 'done'

/**
 * 'verify' while a live link waits for its identity check (a new account, or
 * a client just added to an existing one); 'profile' for a new account whose
 * identity is confirmed but whose profile is not done; else 'done'.
 */
export async function onboardingStep(account: ClientUser): Promise<OnboardingStep> {
  if (await pendingVerification(account)) return 'verify'
  return account.status === 'onboarding' ? 'profile' : 'done'
}
