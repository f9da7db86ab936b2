import { AppointmentReminderSchema } from '#database/schema'

/**
 * One reminder of one appointment, for the start time it was for, to one
 * recipient (a portal account, or the client's own email): written with its
 * mail by the due pass (app/actions/reminders/send_due_reminders.ts).
 */
export default class AppointmentReminder extends AppointmentReminderSchema {
  static table = 'appointment_reminders'
  /** Machinery: the app role's own pool; the portal role has no grant. */
  static connection = 'machinery'
}
