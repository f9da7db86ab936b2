import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { ACTOR_KINDS, AUDIT_SORTS } from '#models/audit_event'
import { parsePracticeDay } from '#support/audit_range'
import { calendarDay } from '#validators/rules/calendar_day'


/** The end of a day range may not come before its start. */
const notBeforeRule = vine.createRule(
  (value: unknown, { startField }: { startField: string }, field: FieldContext) => {
    const start = field.parent?.[startField]
    if (!field.isValid || typeof value !== 'string' || typeof start !== 'string') return
    const startDay = parsePracticeDay(start)
    const endDay = parsePracticeDay(value)
    if (startDay && endDay && endDay < startDay) {
      field.report('The end date is before the start date', 'notBefore', field)
    }
  }
)

const practiceDay = () => vine.string().trim().use(calendarDay())

/** A GET form sends empty fields as ''; an empty filter is no filter. */
const blank = (value: unknown) => (value === '' ? undefined : value)

/** The audit log page's filters, from the query string. */
export const auditLogFilterValidator = vine.create({
  from: practiceDay().parse(blank).optional(),
  to: practiceDay().use(notBeforeRule({ startField: 'from' })).parse(blank).optional(),
  clientId: vine.number().withoutDecimals().positive().parse(blank).optional(),
  // An actor id without its kind is a staff member's (the form's "Staff member" list).
  actorKind: vine.enum(ACTOR_KINDS).parse(blank).optional(),
  actorId: vine.number().withoutDecimals().positive().parse(blank).optional(),
  action: vine
    .string()
    .trim()
    .maxLength(200)
    .regex(/^[a-z0-9_.]+$/)
    .parse(blank)
    .optional(),
  page: vine.number().withoutDecimals().min(1).max(1_000_000).parse(blank).optional(),
  /** The table's order: a column and a direction, never a value. */
  sort: vine.enum(AUDIT_SORTS).parse(blank).optional(),
  dir: vine.enum(['asc', 'desc'] as const).parse(blank).optional(),
})

auditLogFilterValidator.messagesProvider = new SimpleMessagesProvider(
  {
    'string': 'Enter one {{ field }} only',
    'number': 'Enter the {{ field }} as a whole number, for example 42',
    'withoutDecimals': 'Enter the {{ field }} as a whole number, for example 42',
    'positive': 'Enter the {{ field }} as a whole number, for example 42',
    'min': 'Enter the {{ field }} as a whole number, for example 42',
    'max': 'Enter a smaller {{ field }}',
    'enum': 'Choose one of the listed kinds of actor',
    'actorId.number': 'Choose one of the listed staff members',
    'actorId.withoutDecimals': 'Choose one of the listed staff members',
    'actorId.positive': 'Choose one of the listed staff members',
    'sort.enum': 'Sort by one of the table’s columns',
    'dir.enum': 'Sort up or down',
    'maxLength': 'Choose an action from the list',
    'regex': 'Choose an action from the list',
    'actorKind.required': 'Choose the kind of actor that this actor id belongs to',
  },
  {
    from: 'start date',
    to: 'end date',
    clientId: 'client id',
    actorKind: 'kind of actor',
    actorId: 'staff member',
    action: 'action',
    page: 'page number',
  }
)

/** `node ace audit:export` flags. */
export const auditExportValidator = vine.create({
  from: practiceDay(),
  to: practiceDay().use(notBeforeRule({ startField: 'from' })),
  out: vine.string().trim().minLength(1).optional(),
})

auditExportValidator.messagesProvider = new SimpleMessagesProvider(
  {
    'required': '{{ field }} is required: a day written YYYY-MM-DD',
    'string': '{{ field }} needs a value',
    'minLength': '{{ field }} needs a file name',
    'practiceDay': '{{ field }} must be a real day written YYYY-MM-DD, for example 2026-03-01',
    'notBefore': '--to must be the same day as --from or a later one',
  },
  { from: '--from', to: '--to', out: '--out' }
)
