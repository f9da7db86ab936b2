import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import { Readable } from 'node:stream'
import AuditEvent, { ACTOR_KIND_LABELS, type AuditLogFilters } from '#models/audit_event'
import StaffUser from '#models/staff_user'
import { auditLogFilterValidator } from '#validators/audit_log'
import { firstErrorOfEachField } from '#validators/field_error'
import { pageDays, practiceDaysToUtc } from '#support/audit_range'
import { auditCsvHeader, auditCsvLine } from '#support/audit_csv'
import { audit } from '#services/audit'
import { actionLabel, auditDetails, auditSentence, familyLabel } from '#pages/staff/audit_sentences'
import { pickerState } from '#pages/staff/client_picker'
import { sortHeaders } from '#pages/staff/sorting'

const PER_PAGE = 50
const FILTER_KEYS = ['from', 'to', 'clientId', 'actorKind', 'actorId', 'action'] as const

type Asked = Partial<Pick<AuditLogFilters, 'clientId' | 'actorKind' | 'actorId' | 'action'>> & { from?: string; to?: string }

/** The filters as the query understands them: an actor id alone is a staff member's. */
function resolved(asked: Asked) {
  const days = pageDays(asked)
  const actorKind = asked.actorKind ?? (asked.actorId !== undefined ? 'staff' : undefined)
  return { ...asked, ...days, actorKind }
}

/*
| The audit trail for the practice owner and the executive administrator:
| plain sentences with names, filters (the client found with the posted
| client picker), sortable by time or action, and the filtered view as CSV.
*/
export default class AuditLogController {
  async index(ctx: HttpContext) {
    const { request, response, auth, view } = ctx
    const staff = auth.use('staff').getUserOrFail()
    const page = await filterChoices()

    const [error, filters] = await request.tryValidateUsing(auditLogFilterValidator, { data: request.qs() })
    if (error) {
      response.status(422)
      return view.render('pages/staff/audit_log/index', {
        ...page,
        picker: await pickerState(ctx, staff, 'audit'),
        values: request.qs(),
        errors: firstErrorOfEachField(error),
        events: null,
      })
    }

    const { page: pageNumber = 1, sort = 'time', dir = sort === 'time' ? 'desc' : 'asc', ...asked } = filters
    const chosen = resolved(asked)
    await audit(ctx, {
      action: 'staff.audit_log.viewed',
      actorKind: 'staff',
      actorId: staff.id,
      clientId: asked.clientId ?? null,
      // Which filters, not what was searched for: only the client id is kept as a value.
      detail: {
        filters: FILTER_KEYS.filter((key) => asked[key] !== undefined).join(','),
        page: pageNumber,
      },
    })

    const events = await AuditEvent.matching({ ...chosen, bounds: practiceDaysToUtc(chosen) }, { sort, dir }).paginate(pageNumber, PER_PAGE)
    const query = { ...chosen, ...(filters.sort ? { sort, dir } : {}) }
    events.baseUrl(urlFor('staff.audit_log.index')).queryString(query)
    const names = await AuditEvent.namesFor(events.all())
    const filterQuery = new URLSearchParams(
      Object.entries(chosen).flatMap(([key, value]): [string, string][] => (value === undefined ? [] : [[key, String(value)]]))
    )

    return view.render('pages/staff/audit_log/index', {
      ...page,
      picker: await pickerState(ctx, staff, 'audit', asked.clientId),
      values: { ...chosen, sort: filters.sort ? sort : '', dir: filters.sort ? dir : '' },
      errors: {},
      events,
      rows: events.all().map((event) => ({
        event,
        sentence: auditSentence(event, names),
        details: auditDetails(event, names),
      })),
      headers: sortHeaders(
        urlFor('staff.audit_log.index'),
        chosen,
        [
          { key: 'time', label: 'When', firstDir: 'desc' },
          { key: 'action', label: 'What happened' },
        ],
        { sort, dir }
      ),
      exportUrl: `${urlFor('staff.audit_log.export')}?${filterQuery}`,
    })
  }

  /**
   * The filtered view as CSV, streamed a batch at a time in id order, with
   * the columns of `node ace audit:export`. Recorded before any row leaves.
   */
  async export(ctx: HttpContext) {
    const { request, response, auth, view } = ctx
    const staff = auth.use('staff').getUserOrFail()
    const [error, filters] = await request.tryValidateUsing(auditLogFilterValidator, { data: request.qs() })
    if (error) {
      response.status(422)
      return view.render('pages/staff/audit_log/index', {
        ...(await filterChoices()),
        picker: await pickerState(ctx, staff, 'audit'),
        values: request.qs(),
        errors: firstErrorOfEachField(error),
        events: null,
      })
    }
    const { page: _page, sort: _sort, dir: _dir, ...asked } = filters
    const chosen = resolved(asked)
    await audit(ctx, {
      action: 'staff.audit_log.exported',
      actorKind: 'staff',
      actorId: staff.id,
      clientId: asked.clientId ?? null,
      detail: { from: chosen.from, to: chosen.to, filters: FILTER_KEYS.filter((key) => asked[key] !== undefined).join(',') },
    })

    const batches = AuditEvent.batchesMatching({ ...chosen, bounds: practiceDaysToUtc(chosen) })
    async function* csv() {
      yield auditCsvHeader()
      for await (const batch of batches) yield batch.map(auditCsvLine).join('')
    }
    response.header('Content-Type', 'text/csv; charset=utf-8')
    response.header('Content-Disposition', `attachment; filename="audit-log-${chosen.from}-to-${chosen.to}.csv"`)
    response.header('Cache-Control', 'no-store')
    response.stream(Readable.from(csv()))
  }
}

/** The filter form's lists: staff by name, actions in words. */
async function filterChoices() {
  const [actions, staff] = await Promise.all([
    AuditEvent.distinctActions(),
    StaffUser.query().select('id', 'name').orderBy('name', 'asc'),
  ])
  const families = [...new Set(actions.filter((action) => action.includes('.')).map((action) => action.slice(0, action.indexOf('.') + 1)))]
  return {
    actorKindLabels: ACTOR_KIND_LABELS,
    actionGroups: [
      { label: 'Every action of', options: families.map((family) => ({ value: family, label: familyLabel(family) })) },
      { label: 'One action', options: actions.map((action) => ({ value: action, label: actionLabel(action) })) },
    ],
    knownActions: [...actions, ...families],
    staffOptions: staff.map((person) => ({ value: String(person.id), label: person.name })),
  }
}
