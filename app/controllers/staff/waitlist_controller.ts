import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import WaitlistEntry from '#models/waitlist_entry'
import Appointment from '#models/appointment'
import AppointmentPolicy from '#policies/appointment_policy'
import { removeWaitlistEntry } from '#actions/waitlist/remove_waitlist_entry'
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
| entry ends it (and its open offers), audited.
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
}
