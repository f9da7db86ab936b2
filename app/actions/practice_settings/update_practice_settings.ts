import db from '@adonisjs/lucid/services/db'
import PracticeSetting, { type SchedulingMode } from '#models/practice_setting'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'

/** What Portal Settings' "Practice settings" form decides (DESIGN §13). */
export interface PracticeSettingsInput {
  remindersEnabled: boolean
  defaultReminderLeadHours: number
  cancellationWindowHours: number
  /** Null: the practice's name. */
  senderName: string | null
  schedulingMode: SchedulingMode
  /** https only; the database checks it too. */
  quickExitUrl: string
  teenAge: number
  dropOffDays: number
}

const FIELDS = [
  'remindersEnabled',
  'defaultReminderLeadHours',
  'cancellationWindowHours',
  'senderName',
  'schedulingMode',
  'quickExitUrl',
  'teenAge',
  'dropOffDays',
] as const

/**
 * Saves the practice's run-time settings (DESIGN §13) and
 * returns the names of the fields that changed (audited as such, never the
 * values). The row is locked while it is compared and written; this process
 * forgets its cached copy at once, the others within seconds.
 */
export async function updatePracticeSettings(settings: PracticeSettingsInput, actor: Actor) {
  const changed = await db.connection('machinery').transaction(async (trx) => {
    const row = await PracticeSetting.query({ client: trx }).where('id', 1).forUpdate().firstOrFail()
    const fields = FIELDS.filter((field) => row[field] !== settings[field])
    if (fields.length) {
      row.merge(Object.fromEntries(fields.map((field) => [field, settings[field]])))
      await row.useTransaction(trx).save()
    }
    return fields
  })
  PracticeSetting.forget()
  if (changed.length) {
    await auditStaffOrOperator(actor, 'practice_settings.updated', { detail: { fields: changed.join(',') } })
  }
  return changed
}
