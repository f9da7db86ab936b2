import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import ClientUser from '#models/client_user'
import WaitlistOffer from '#models/waitlist_offer'
import WaitlistSlot from '#models/waitlist_slot'
import { AddresseeContext, PortalContext, type ClientScope } from '#portal/portal_context'
import { pagePrivacy } from '#actions/portal/act_on_appointment'
import { acceptWaitlistOffer } from '#actions/waitlist/accept_waitlist_offer'
import { renderPortalLinkInvalid } from '#services/link_invalid_pages'
import { answerInLanguageOf } from '#services/request_locale'
import { audit } from '#services/audit'
import type { Actor } from '#support/actor'
import { isPortalLocale } from '#support/locales'
import { offerableAt } from '#support/waitlist_limits'

/** What the offer page says: take it, it was taken by someone else, you have it, or it no longer stands. */
type OfferState = 'open' | 'taken' | 'accepted' | 'gone'

/*
| An emailed offer of an earlier time (issue #22, DESIGN §17): opening it
| (GET) changes nothing — mail scanners open links — and shows the time with
| a "Take this time" button; the POST accepts (acceptWaitlistOffer: the
| first to accept gets it). The recipient's access must still be live, and
| the offer's entry is read through the client's RLS transaction (a
| PortalContext, or an AddresseeContext for a client without an account).
| Unknown and expired links get the one link-invalid page.
*/
export default class WaitlistOffersController {
  async show(ctx: HttpContext) {
    const opened = await openOffer(ctx)
    if (!opened) return refuse(ctx, 'show')
    const { offer, scope } = opened
    let failed = true
    try {
      const page = await pageFor(ctx, scope, offer)
      if (!page) {
        failed = false
        return await refuse(ctx, 'show')
      }
      const html = await ctx.view.render('pages/portal/waitlist/offer', page)
      await audit(ctx, offerAudit(offer, 'portal.waitlist_offer.viewed', { state: page.offerState }))
      failed = false
      return html
    } finally {
      await scope.close({ failed })
    }
  }

  async accept(ctx: HttpContext) {
    const opened = await openOffer(ctx)
    if (!opened) return refuse(ctx, 'accept')
    const { offer, scope } = opened
    let before
    let failed = true
    try {
      // The offer's entry must be this client's, read through the client's own RLS transaction.
      before = await pageFor(ctx, scope, offer)
      failed = false
    } finally {
      await scope.close({ failed })
    }
    if (!before) return refuse(ctx, 'accept')

    const result = await acceptWaitlistOffer({ offerId: offer.id, accountId: offer.clientUserId }, offerActor(ctx, offer))
    if (result.outcome !== 'accepted') {
      await audit(ctx, offerAudit(offer, 'portal.waitlist_offer.refused', { reason: result.outcome }))
    }
    return ctx.view.render('pages/portal/waitlist/offer', {
      ...before,
      offerState: result.outcome,
      booked: result.outcome === 'accepted' ? { id: result.appointmentId, startsAt: result.startsAt } : null,
    })
  }
}

/** The offer a token names and its client's RLS scope while the recipient's access is live; null otherwise. */
async function openOffer(ctx: HttpContext): Promise<{ offer: WaitlistOffer; scope: ClientScope } | null> {
  const offer = await WaitlistOffer.findByToken(String(ctx.params.token))
  if (!offer || offer.status === 'withheld') return null
  if (offer.clientUserId !== null) {
    const account = await ClientUser.find(offer.clientUserId)
    if (!account || account.status !== 'active') return null
    const scope = await PortalContext.openFor(account, offer.clientId)
    if (!scope) return null
    answerInLanguageOf(ctx, account)
    return { offer, scope }
  }
  const scope = await AddresseeContext.openFor(offer.clientId, offer.email!)
  if (!scope) return null
  // A recipient without an account reads it in the client's email language (DESIGN §16).
  if (isPortalLocale(scope.client.emailLanguage)) answerInLanguageOf(ctx, { language: scope.client.emailLanguage })
  return { offer, scope }
}

/** What the page shows, read through the client's scope; null when the offer's entry is not this client's. */
async function pageFor(ctx: HttpContext, scope: ClientScope, offer: WaitlistOffer) {
  const entry = await scope.query('waitlistEntries').where('waitlist_entries.id', offer.entryId).first()
  if (!entry) return null
  const own = await scope
    .query('appointments')
    .where('appointments.id', entry.appointmentId)
    .withScopes((scopes) => scopes.withPortalDetails())
    .first()
  const slot = await WaitlistSlot.findOrFail(offer.slotId)
  const booked = slot.bookedAppointmentId
    ? await scope.query('appointments').where('appointments.id', slot.bookedAppointmentId).select('appointments.id', 'appointments.starts_at').first()
    : null
  const { discreet } = await pagePrivacy(scope)
  if (discreet) ctx.view.share({ neutralTitle: true })

  let state: OfferState = 'open'
  if (slot.status === 'taken') state = booked ? 'accepted' : 'taken'
  else if (offer.status === 'missed') state = 'taken'
  else if (offer.status !== 'open' || slot.status !== 'open' || entry.status !== 'waiting' || !offerableAt(slot.startsAt, DateTime.now())) {
    state = 'gone'
  }
  return {
    offerState: state,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    own,
    booked: booked ? { id: booked.id, startsAt: booked.startsAt } : null,
    signedInLinks: offer.clientUserId !== null,
    formAction: ctx.request.url(),
  }
}

function offerActor(ctx: HttpContext, offer: WaitlistOffer): Actor {
  return {
    kind: offer.clientUserId ? 'client_user' : 'anonymous',
    id: offer.clientUserId,
    ip: ctx.request.ip(),
    userAgent: ctx.request.header('user-agent') ?? null,
  }
}

function offerAudit(offer: WaitlistOffer, action: string, detail: Record<string, string>) {
  return {
    action,
    actorKind: offer.clientUserId ? ('client_user' as const) : ('anonymous' as const),
    actorId: offer.clientUserId,
    clientId: offer.clientId,
    detail: { offerId: offer.id, slotId: offer.slotId, ...detail },
  }
}

/** One page for every link that does not act: audited without the token or why. */
async function refuse(ctx: HttpContext, step: 'show' | 'accept') {
  await audit(ctx, { action: 'portal.waitlist_offer.refused', actorKind: 'anonymous', detail: { step } })
  return renderPortalLinkInvalid(ctx)
}
