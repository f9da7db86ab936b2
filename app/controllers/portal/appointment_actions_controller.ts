import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { urlFor } from '@adonisjs/core/services/url_builder'
import AppointmentActionLink from '#models/appointment_action_link'
import ClientUser from '#models/client_user'
import { AddresseeContext, PortalContext, type ClientScope } from '#portal/portal_context'
import {
  actOnAppointment,
  actionableAppointment,
  appointmentForPage,
  pagePrivacy,
  type ActingPerson,
  type ChoiceOutcome,
} from '#actions/portal/act_on_appointment'
import { renderPortalLinkInvalid } from '#services/link_invalid_pages'
import { answerInLanguageOf } from '#services/request_locale'
import { audit, auditPortal } from '#services/audit'
import { actorOf } from '#services/request_actor'
import type { Actor } from '#support/actor'
import { isPortalLocale } from '#support/locales'
import PracticeSetting from '#models/practice_setting'
import { SchedulingClosed } from '#exceptions/scheduling_closed'

const choiceValidator = vine.create({ choice: vine.enum(['confirm', 'cancel'] as const) })

/*
| "Confirm / I can't make it" (DESIGN §17): from an emailed link (public,
| `/portal/appointment-actions/:token`) and signed in from the appointment's
| page. GET changes nothing (mail scanners open links); the POST locks the row
| and acts only while the appointment is still scheduled at the same start
| and the recipient's access is live. Expired, used, foreign and unknown
| links all get the one link-invalid page.
*/
export default class AppointmentActionsController {
  async show(ctx: HttpContext) {
    const opened = await openLink(ctx)
    if (!opened) return refuse(ctx, 'show')
    const { link, scope } = opened
    let failed = true
    try {
      if (!(await actionableAppointment(scope, link.appointmentId, link.startsAt))) {
        failed = false
        return await refuse(ctx, 'show')
      }
      const html = await renderPage(ctx, scope, link.appointmentId, {
        formAction: ctx.request.url(),
        outcome: null,
      })
      await audit(ctx, linkAudit(link, scope, 'portal.appointment_action.viewed'))
      failed = false
      return html
    } finally {
      await scope.close({ failed })
    }
  }

  async act(ctx: HttpContext) {
    const opened = await openLink(ctx)
    if (!opened) return refuse(ctx, 'act')
    const { link, scope } = opened
    const { choice } = await ctx.request.validateUsing(choiceValidator)
    const by: ActingPerson = { via: 'link', accountId: link.clientUserId }
    let failed = true
    let outcome: ChoiceOutcome = 'refused'
    let html: string | null = null
    try {
      const input = { appointmentId: link.appointmentId, boundStart: link.startsAt, choice, by }
      outcome = (await actOnAppointment(scope, input, linkActor(ctx, link))).outcome
      if (outcome !== 'refused' && outcome !== 'closed') {
        html = await renderPage(ctx, scope, link.appointmentId, { formAction: ctx.request.url(), outcome })
      }
      failed = false
    } finally {
      await scope.close({ failed })
    }
    // In view_only a cancel is the same 404 as a link that does not act.
    if (html === null) return renderPortalLinkInvalid(ctx)
    // A cancelled appointment's link has done its work.
    if (outcome === 'cancelled') await AppointmentActionLink.query().where('id', link.id).update({ usedAt: new Date() })
    return html
  }

  /** The same page signed in, from the portal's appointment page. */
  async edit(ctx: HttpContext) {
    const { portal, params } = ctx
    const appointment = await actionableAppointment(portal, Number(params.id), null)
    if (!appointment) return ctx.view.render('pages/portal/appointment_actions/unavailable', { appointmentId: Number(params.id) })
    await auditPortal(ctx, 'portal.appointment_action.viewed', { appointmentId: appointment.id, via: 'signed_in' })
    return renderPage(ctx, portal, appointment.id, { ...signedInForm(appointment.id), outcome: null })
  }

  async update(ctx: HttpContext) {
    const { choice } = await ctx.request.validateUsing(choiceValidator)
    return this.#actSignedIn(ctx, choice)
  }

  /**
   * "I can't make it" signed in: its own route, behind
   * middleware.clientScheduling() (a 404 in view_only, before anything runs).
   */
  async cancel(ctx: HttpContext) {
    return this.#actSignedIn(ctx, 'cancel')
  }

  async #actSignedIn(ctx: HttpContext, choice: 'confirm' | 'cancel') {
    const { portal, params } = ctx
    const by: ActingPerson = { via: 'signed_in', accountId: portal.account.id }
    const appointmentId = Number(params.id)
    // Another client's id (or none): the portal's 404, before anything is tried.
    await portal.query('appointments').where('appointments.id', appointmentId).select('appointments.id').firstOrFail()
    const { outcome } = await actOnAppointment(portal, { appointmentId, boundStart: null, choice, by }, actorOf(ctx))
    // In view_only there is no online cancelling: the portal's 404, nothing changed.
    if (outcome === 'closed') throw new SchedulingClosed()
    if (outcome === 'refused') return ctx.view.render('pages/portal/appointment_actions/unavailable', { appointmentId })
    return renderPage(ctx, portal, appointmentId, { ...signedInForm(appointmentId), outcome })
  }
}

/** The usable link the request's token carries, and its client's RLS scope while the recipient's access is live. */
async function openLink(ctx: HttpContext): Promise<{ link: AppointmentActionLink; scope: ClientScope } | null> {
  const link = await AppointmentActionLink.findUsable(String(ctx.params.token))
  if (!link) return null
  if (link.clientUserId !== null) {
    const account = await ClientUser.find(link.clientUserId)
    if (!account || account.status !== 'active') return null
    const scope = await PortalContext.openFor(account, link.clientId)
    if (!scope) return null
    answerInLanguageOf(ctx, account)
    return { link, scope }
  }
  const scope = await AddresseeContext.openFor(link.clientId, link.email!)
  if (!scope) return null
  // A recipient without an account reads it in the client's email language (DESIGN §16).
  if (isPortalLocale(scope.client.emailLanguage)) answerInLanguageOf(ctx, { language: scope.client.emailLanguage })
  return { link, scope }
}

function linkActor(ctx: HttpContext, link: AppointmentActionLink): Actor {
  return {
    kind: link.clientUserId ? 'client_user' : 'anonymous',
    id: link.clientUserId,
    ip: ctx.request.ip(),
    userAgent: ctx.request.header('user-agent') ?? null,
  }
}

function linkAudit(link: AppointmentActionLink, scope: ClientScope, action: string) {
  return {
    action,
    actorKind: link.clientUserId ? ('client_user' as const) : ('anonymous' as const),
    actorId: link.clientUserId,
    clientId: scope.client.id,
    detail: { appointmentId: link.appointmentId, via: 'link' },
  }
}

/** One page for every link that does not act: audited without the token or why. */
async function refuse(ctx: HttpContext, step: 'show' | 'act') {
  await audit(ctx, { action: 'portal.appointment_action.refused', actorKind: 'anonymous', detail: { step } })
  return renderPortalLinkInvalid(ctx)
}

/** Signed in, "confirm" posts to the page and "I can't make it" to its own, guarded route. */
function signedInForm(appointmentId: number) {
  return {
    formAction: urlFor('portal.appointments.act', { id: appointmentId }),
    cancelAction: urlFor('portal.appointments.cancel', { id: appointmentId }),
  }
}

async function renderPage(
  ctx: HttpContext,
  scope: ClientScope,
  appointmentId: number,
  state: { formAction: string; cancelAction?: string; outcome: ChoiceOutcome | null }
) {
  // One transaction, one statement at a time.
  const appointment = await appointmentForPage(scope, appointmentId)
  const { details, discreet } = await pagePrivacy(scope)
  if (discreet) ctx.view.share({ neutralTitle: true })
  const cancellation = appointment.clientCancellation(await PracticeSetting.current())
  return ctx.view.render('pages/portal/appointment_actions/show', { appointment, details, cancellation, ...state })
}
