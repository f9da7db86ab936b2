import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
| One appointment-reminder due pass now (issue #17), what every worker does
| once a minute (`jobs:work`): queues the reminders that are due; the worker
| sends them.
|   node ace reminders:send              queue what is due now
|   node ace reminders:send --dry-run    list what would be queued, queue nothing
| The list shows appointment ids, start times and counts only (no names, no
| addresses).
*/
export default class RemindersSend extends BaseCommand {
  static commandName = 'reminders:send'
  static description = 'Queue the appointment reminders that are due now (one pass of the worker job)'
  static help = [
    'Reminders go out once per appointment, start time and recipient, however often this runs.',
    'With --dry-run: lists what would be queued, and queues nothing.',
  ]
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'List what would be queued, queue nothing' })
  declare dryRun: boolean

  async run() {
    const { listDueReminders, sendDueReminders } = await import('#actions/reminders/send_due_reminders')
    if (this.dryRun) {
      const due = await listDueReminders()
      for (const item of due) {
        const what = item.refusal ? `not sent (${item.refusal})` : `${item.recipients} recipient(s)`
        this.logger.info(`Appointment #${item.appointmentId} at ${item.startsAt.toUTC().toISO()}: ${what}`)
      }
      this.logger.info(`Dry run: ${due.length} appointment(s) due for a reminder; nothing was queued.`)
      return
    }
    const result = await sendDueReminders()
    this.logger.success(`${result.sent} reminder(s) queued, ${result.skipped} not sent (reason recorded).`)
  }
}
