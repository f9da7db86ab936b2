import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { parsePracticeDay } from '#support/audit_range'
import { practiceNow } from '#support/practice_time'
import { calendarDay } from '#validators/rules/calendar_day'
import { LONGEST_PERIOD_DAYS, PERIOD_CHOICES } from '#actions/insights/period'

/** A custom period: in order, not beyond today, at most LONGEST_PERIOD_DAYS long. */
const customEndRule = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  const start = field.parent?.from
  if (!field.isValid || typeof value !== 'string') return
  const endDay = parsePracticeDay(value)
  if (!endDay) return
  if (endDay > practiceNow().startOf('day')) {
    field.report('The end date is after today: choose today or an earlier day', 'notFuture', field)
    return
  }
  const startDay = typeof start === 'string' ? parsePracticeDay(start) : null
  if (!startDay) return
  if (endDay < startDay) field.report('The end date is before the start date', 'notBefore', field)
  else if (endDay.diff(startDay, 'days').days >= LONGEST_PERIOD_DAYS) {
    field.report('Choose a period of at most three years', 'tooLong', field)
  }
})

const blank = (value: unknown) => (value === '' ? undefined : value)
const practiceDay = () => vine.string().trim().use(calendarDay())
const isCustom = (field: FieldContext) => field.parent?.period === 'custom'

/** The insights page's period, from the query string (the page, the outreach list and the CSV share it). */
export const insightsPeriodValidator = vine.create({
  period: vine.enum(PERIOD_CHOICES).parse(blank).optional(),
  from: practiceDay().parse(blank).optional().requiredWhen(isCustom),
  to: practiceDay().use(customEndRule()).parse(blank).optional().requiredWhen(isCustom),
})

insightsPeriodValidator.messagesProvider = new SimpleMessagesProvider(
  {
    'enum': 'Choose one of the listed periods',
    'string': 'Enter one {{ field }} only',
    'required': 'Enter the {{ field }} of the custom period',
    'from.required': 'Enter the start date of the custom period',
    'to.required': 'Enter the end date of the custom period',
  },
  { period: 'period', from: 'start date', to: 'end date' }
)
