import { errors, type HttpContext } from '@adonisjs/core/http'
import { joinWaitlist, leaveWaitlist, waitingEntryFor, waitlistableAppointment } from '#actions/portal/join_waitlist'
import { joinWaitlistValidator } from '#validators/waitlist'
import { requestMessages } from '#validators/appointment_request'
import { auditPortal } from '#services/audit'
import { actorOf } from '#services/request_actor'
import { DAY_PARTS, WEEKDAYS } from '#support/request_preferences'

/*
| "Offer me an earlier time" (issue #22): joined from an upcoming
| appointment, with optional days and parts of the day; one entry per
| client and provider. Only through the PortalContext; the routes exist
| only while the practice lets clients schedule (clientScheduling).
*/
export default class WaitlistEntriesController {
  async create(ctx: HttpContext) {
    const { view, portal, params } = ctx
    const appointment = await waitlistableAppointment(portal, Number(params.id))
    if (!appointment) return refuseUnknown(ctx, Number(params.id))
    const entry = await waitingEntryFor(portal, appointment.providerId)
    await auditPortal(ctx, 'portal.waitlist_form.viewed', { appointmentId: appointment.id, waiting: entry !== null })
    return view.render('pages/portal/waitlist/create', { appointment, entry, weekdays: WEEKDAYS, dayParts: DAY_PARTS })
  }

  async store(ctx: HttpContext) {
    const { request, response, session, portal, params, i18n } = ctx
    const appointment = await waitlistableAppointment(portal, Number(params.id))
    if (!appointment) return refuseUnknown(ctx, Number(params.id))
    const [error, input] = await request.tryValidateUsing(joinWaitlistValidator, { messagesProvider: requestMessages(ctx) })
    if (error) {
      // Back to this appointment's form (not the referrer), the message next to the field.
      session.flashValidationErrors(error)
      return response.redirect().toRoute('portal.waitlist.create', { id: appointment.id })
    }
    const outcome = await joinWaitlist(portal, { appointment, ...input }, actorOf(ctx))
    // The practice turned the waitlist off since the route answered: as if it were gone.
    if (!outcome) return refuseUnknown(ctx, appointment.id)
    session.flash('joined' in outcome ? 'success' : 'notice', i18n.t('joined' in outcome ? 'waitlist.joined' : 'waitlist.already'))
    return response.redirect().toRoute('portal.waitlist.create', { id: appointment.id })
  }

  async leave(ctx: HttpContext) {
    const { response, session, portal, params, i18n } = ctx
    // Another client's or an unknown id: 404, nothing changes.
    const entry = await portal.query('waitlistEntries').where('waitlist_entries.id', params.id).firstOrFail()
    const left = await leaveWaitlist(portal, entry.id, actorOf(ctx))
    session.flash(left ? 'success' : 'notice', i18n.t(left ? 'waitlist.left' : 'waitlist.already_ended'))
    return response.redirect().toRoute('portal.appointments.show', { id: entry.appointmentId })
  }
}

/** Another client's (or an unknown, or a past) appointment: the same 404 as any missing page, recorded. */
async function refuseUnknown(ctx: HttpContext, appointmentId: number): Promise<never> {
  await auditPortal(ctx, 'portal.access.refused', { route: ctx.route?.name ?? null, id: String(appointmentId) })
  throw new errors.E_ROUTE_NOT_FOUND([ctx.request.method(), ctx.request.url()])
}
