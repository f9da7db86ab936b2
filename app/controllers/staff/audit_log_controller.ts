import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import AuditEvent, { ACTOR_KIND_LABELS } from '#models/audit_event'
import { auditLogFilterValidator } from '#validators/audit_log'
import { firstErrorOfEachField } from '#validators/field_error'
import { pageDays, practiceDaysToUtc } from '#support/audit_range'
import { audit } from '#services/audit'

const PER_PAGE = 50
const FILTER_KEYS = ['from', 'to', 'clientId', 'actorKind', 'actorId', 'action'] as const

/** The audit trail for the practice owner and the executive administrator. */
export default class AuditLogController {
  async index(ctx: HttpContext) {
    const { request, response, auth, view } = ctx
    const actions = await AuditEvent.distinctActions()

    const [error, filters] = await request.tryValidateUsing(auditLogFilterValidator, {
      data: request.qs(),
    })
    if (error) {
      response.status(422)
      return view.render('pages/staff/audit_log/index', {
        actions,
        actorKindLabels: ACTOR_KIND_LABELS,
        values: request.qs(),
        errors: firstErrorOfEachField(error),
        events: null,
      })
    }

    const { page = 1, ...asked } = filters
    const days = pageDays(asked)
    const chosen = { ...asked, ...days }
    const staff = auth.use('staff').getUserOrFail()
    await audit(ctx, {
      action: 'staff.audit_log.viewed',
      actorKind: 'staff',
      actorId: staff.id,
      clientId: asked.clientId ?? null,
      // Which filters, not what was searched for: only the client id is kept as a value.
      detail: {
        filters: FILTER_KEYS.filter((key) => asked[key] !== undefined).join(','),
        page,
      },
    })

    const events = await AuditEvent.matching({ ...chosen, bounds: practiceDaysToUtc(days) }).paginate(
      page,
      PER_PAGE
    )
    events.baseUrl(urlFor('staff.audit_log.index')).queryString(chosen)

    return view.render('pages/staff/audit_log/index', {
      actions,
      actorKindLabels: ACTOR_KIND_LABELS,
      values: chosen,
      errors: {},
      events,
      names: await AuditEvent.namesFor(events.all()),
    })
  }
}
