import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { PortalContext } from '#portal/portal_context'
import { completeOnboarding, completeOnboardingWithoutProfile, firstEmergencyContact } from '#actions/portal/complete_onboarding'
import { accountLanguageValidator } from '#validators/family'
import { onboardingStep } from '#actions/onboarding/onboarding_step'
import { pendingVerification, verifyIdentity } from '#actions/invitations/verify_identity'
import { actorOf } from '#services/request_actor'
import { fieldError } from '#validators/field_error'
import { portalMessages } from '#validators/portal_messages'
import { leadHourOptions } from '#support/contact_preferences'
import { localeOptions } from '#support/locales'
import { dateOfBirthValidator, onboardingProfileValidator } from '#validators/portal_onboarding'

/*
| Onboarding after the password is set: the identity check (the client's
| date of birth), then the profile. GET /portal/onboarding sends a person to
| the step they left.
*/
export default class OnboardingController {
  async show(ctx: HttpContext) {
    const account = ctx.auth.use('client_users').getUserOrFail()
    const step = await onboardingStep(account)
    const target = { verify: 'portal.onboarding.verify_form', profile: 'portal.onboarding.profile_form', done: 'portal.home' } as const
    return ctx.response.redirect().toRoute(target[step])
  }

  /** The identity check, or a calm page when it cannot go on. */
  async verifyForm(ctx: HttpContext) {
    const account = ctx.auth.use('client_users').getUserOrFail()
    const pending = await pendingVerification(account)
    if (!pending) return ctx.response.redirect().toRoute('portal.onboarding.show')
    if (!pending.invitation) return ctx.view.render('pages/portal/onboarding/waiting')
    if (pending.invitation.lockedAt || pending.invitation.revokedAt) {
      return ctx.view.render('pages/portal/onboarding/locked')
    }
    return ctx.view.render('pages/portal/onboarding/verify', {
      isSelf: pending.link.relationship === 'self',
      personName: pending.link.client.displayFirstName,
    })
  }

  async verify(ctx: HttpContext) {
    const { request, response, session } = ctx
    const account = ctx.auth.use('client_users').getUserOrFail()

    const [invalid, parts] = await request.tryValidateUsing(dateOfBirthValidator)
    const date = parts && DateTime.fromObject({ year: parts.year, month: parts.month, day: parts.day })
    if (invalid || !date?.isValid) return backWithDateError(ctx, 'date_of_birth_format')

    const { outcome, clientId } = await verifyIdentity(account, date.toISODate()!, actorOf(ctx))
    if (outcome === 'wrong') return backWithDateError(ctx, 'date_of_birth_wrong')
    if (outcome !== 'verified') return response.redirect().toRoute('portal.onboarding.verify_form')

    // The portal shows the client just confirmed.
    if (clientId) PortalContext.rememberChoice(session, clientId)
    if (account.status === 'onboarding') return response.redirect().toRoute('portal.onboarding.profile_form')
    session.flash('success', ctx.i18n.t('public.verify.added'))
    return response.redirect().toRoute('portal.home')
  }

  /** The last step, in the protected RLS context of the client just confirmed. */
  async profileForm(ctx: HttpContext) {
    const { portal, view, response } = ctx
    if (portal.account.status !== 'onboarding') return response.redirect().toRoute('portal.home')
    // A level without contact details (DESIGN §14): the client's details are not theirs to fill in.
    if (!portal.allows('contact')) {
      return view.render('pages/portal/onboarding/profile_language', { languageOptions: localeOptions(), language: portal.account.language })
    }

    const client = await portal.query('clients').firstOrFail()
    const contact = await firstEmergencyContact(portal)
    const preference = await portal.query('clientPreferences').firstOrFail()

    return view.render('pages/portal/onboarding/profile', {
      client,
      contact,
      preference,
      isSelf: portal.isSelf,
      leadHourOptions: leadHourOptions().map(({ value }) => ({
        value,
        label: ctx.i18n.t('public.profile.lead_time', value % 24 === 0 ? { unit: 'day', count: value / 24 } : { unit: 'hour', count: value }),
      })),
      languageOptions: localeOptions(),
      language: portal.account.language,
    })
  }

  async profile(ctx: HttpContext) {
    const { request, response, session, portal } = ctx
    if (portal.account.status !== 'onboarding') return response.redirect().toRoute('portal.home')
    if (!portal.allows('contact')) {
      const { language } = await request.validateUsing(accountLanguageValidator, { messagesProvider: portalMessages(ctx) })
      await completeOnboardingWithoutProfile(portal, language, actorOf(ctx))
      session.flash('success', ctx.i18n.t('public.profile.done'))
      return response.redirect().toRoute('portal.home')
    }
    // The numbers already on file save unchanged, whatever they are.
    const client = await portal.query('clients').firstOrFail()
    const contact = await firstEmergencyContact(portal)
    const [error, profile] = await request.tryValidateUsing(onboardingProfileValidator, {
      meta: { storedPhones: { phone: client.phone, contactPhone: contact?.phone } },
      messagesProvider: portalMessages(ctx),
    })
    if (error) {
      session.flashValidationErrors(error)
      return response.redirect().toRoute('portal.onboarding.profile_form')
    }
    await completeOnboarding(portal, profile, actorOf(ctx))
    session.flash('success', ctx.i18n.t('public.profile.done'))
    return response.redirect().toRoute('portal.home')
  }
}

/** Back to the form with one message; the date typed is not kept (it is identity data). */
function backWithDateError({ session, response, i18n }: HttpContext, problem: 'date_of_birth_format' | 'date_of_birth_wrong') {
  session.flashValidationErrors(
    fieldError('dateOfBirth', i18n.t(`validator.custom.${problem}`), 'dateOfBirth'),
    false
  )
  return response.redirect().toRoute('portal.onboarding.verify_form')
}
