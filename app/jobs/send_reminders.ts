/*
| The reminder job (issue #17), run by `node ace jobs:work` beside mail
| delivery, once a minute: one due pass (app/actions/reminders/send_due_reminders.ts).
| Any number of workers may run it at once: the database's unique index
| keeps it to one reminder per appointment, start time and recipient; the
| mails it queues are sent by the mail delivery job.
*/
import { sendDueReminders, type ReminderPassResult } from '#actions/reminders/send_due_reminders'

/** How often a worker runs the due pass. */
export const REMINDER_PASS_SECONDS = 60

export function runReminderPass(): Promise<ReminderPassResult> {
  return sendDueReminders()
}
