import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import WaitlistEntry from '#models/waitlist_entry'
import Appointment from '#models/appointment'
import AppointmentPolicy from '#policies/appointment_policy'
import { removeWaitlistEntry } from '#actions/waitlist/remove_waitlist_entry'
import { addToWaitlist } from '#actions/waitlist/add_to_waitlist'
import { joinWaitlistValidator, staffWaitlistMessages } from '#validators/waitlist'
import { WAITLIST_REFUSALS } from '#pages/staff/appointment_page'
import { clinicianChoices } from '#pages/staff/choices'
import { audit } from '#services/audit'
import { actorOf } from '#services/request_actor'

const filterValidator = vine.create({
  provider: vine.number().withoutDecimals().positive().max(Number.MAX_SAFE_INTEGER).optional(),
})

/*
| The waitlist per clinician (issue #22): the clients waiting for an earlier
| time, longest waiting first (the order offers go out in). ceo, admin and
| support staff see every clinician's; a clinician her own. Removing an
| entry ends it (and its open offers), audited. Staff also put a client on
| it from an upcoming appointment ("Offer an earlier time"), with the
| portal's rules (#actions/waitlist/join_waitlist).
*/
export default class WaitlistController {
  async index(ctx: HttpContext) {
    const { request, view, bouncer, auth } = ctx
    await bouncer.with(AppointmentPolicy).authorize('viewAny')
    const staff = auth.use('staff').getUserOrFail()
    const [, filters] = await request.tryValidateUsing(filterValidator, { data: request.qs() })
    const providerId = staff.role === 'clinician' ? staff.id : (filters?.provider ?? null)

    const entries = await WaitlistEntry.query()
      .withScopes((scopes) => {
        scopes.waiting()
        scopes.longestWaitingFirst()
      })
      .if(providerId, (query) => query.where('waitlist_entries.provider_id', providerId!))
      .if(!['ceo', 'admin', 'support_staff', 'clinician'].includes(staff.role), (query) => query.whereRaw('false'))
      .preload('client')
      .preload('provider')
      .limit(500)
    const appointments = entries.length
      ? await Appointment.query().whereIn('appointments.id', entries.map((entry) => entry.appointmentId))
      : []
    const byId = new Map(appointments.map((appointment) => [appointment.id, appointment]))

    await audit(ctx, {
      action: 'staff.waitlist.viewed',
      actorKind: 'staff',
      actorId: staff.id,
      detail: { providerId, listed: entries.length },
    })
    return view.render('pages/staff/waitlist/index', {
      entries: entries.map((entry) => ({ entry, appointment: byId.get(entry.appointmentId) ?? null })),
      providerOptions: staff.role === 'clinician' ? null : await clinicianChoices([{ value: '', label: 'Every clinician' }]),
      chosenProvider: providerId ? String(providerId) : '',
    })
  }

  async remove(ctx: HttpContext) {
    const { params, response, session, bouncer, auth } = ctx
    await bouncer.with(AppointmentPolicy).authorize('viewAny')
    const staff = auth.use('staff').getUserOrFail()
    const entry = await WaitlistEntry.findOrFail(params.id)
    // A clinician manages her own waitlist only: anyone else's entry is a 404.
    if (staff.role === 'clinician' && entry.providerId !== staff.id) return response.notFound()
    if (!['ceo', 'admin', 'support_staff', 'clinician'].includes(staff.role)) return response.notFound()
    const removed = await removeWaitlistEntry({ entryId: entry.id }, actorOf(ctx))
    session.flash(removed ? 'success' : 'notice', removed ? 'The client is off the waitlist.' : 'That entry had already ended; nothing changed.')
    return response.redirect().toRoute('staff.appointments.waitlist.index', {}, { qs: { provider: entry.providerId } })
  }

  /** "Offer an earlier time" on the appointment page: whoever may reschedule the appointment. */
  async add(ctx: HttpContext) {
    const { request, response, session, bouncer, auth, params } = ctx
    const staff = auth.use('staff').getUserOrFail()
    // Load first: an appointment outside the caseload is a 404 whatever the form holds.
    const appointment = await Appointment.findVisibleOrFail(staff, params.id)
    await bouncer.with(AppointmentPolicy).authorize('offerEarlierTime', appointment)
    const toPage = () => response.redirect().toRoute('staff.appointments.show', { id: appointment.id })
    const [error, limits] = await request.tryValidateUsing(joinWaitlistValidator, { messagesProvider: staffWaitlistMessages })
    if (error) {
      session.flashValidationErrors(error)
      return toPage()
    }
    const outcome = await addToWaitlist({ appointmentId: appointment.id, ...limits }, actorOf(ctx))
    if ('joined' in outcome) {
      session.flash('success', 'The client is on the waitlist. When an earlier time with this clinician frees up and fits, they are emailed an offer.')
    } else if ('already' in outcome) {
      session.flash('notice', 'This client is already waiting for an earlier time with this clinician; nothing changed.')
    } else {
      session.flash('notice', `${WAITLIST_REFUSALS[outcome.refused]} Nothing changed.`)
    }
    return toPage()
  }
}
