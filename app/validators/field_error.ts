import { errors } from '@vinejs/vine'

/*
| A problem of one form field found after validation (a clash, a used
| address): built as VineJS reports its own, so `session.flashValidationErrors`
| (or the framework, when thrown) shows it next to that field like any other.
*/
export type ValidationError = InstanceType<typeof errors.E_VALIDATION_ERROR>

interface FieldProblem {
  field: string
  message: string
  rule: string
}

export function fieldError(field: string, message: string, rule = 'custom'): ValidationError {
  return withFieldError(null, field, message, rule)
}

/** The validator's problems, if any, and one more: every problem of the form shows at once. */
export function withFieldError(error: ValidationError | null, field: string, message: string, rule = 'custom') {
  const problems = error ? [...(error.messages as FieldProblem[])] : []
  return new errors.E_VALIDATION_ERROR([...problems, { field, message, rule }])
}

/** The first problem of each field, for a page that shows them itself (a list's filters). */
export function firstErrorOfEachField(error: ValidationError) {
  const byField: Record<string, string> = {}
  for (const { field, message } of error.messages as FieldProblem[]) byField[field] ??= message
  return byField
}
