import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Reminders that arrive in time to cancel (issue #17, "Done when"). The
| shipped default lead time was 24 hours and the cancellation window is 24
| hours, so every default reminder arrived inside the window and its "I
| can't make it" page could only say it was too late to cancel online.
| The default lead becomes 48 hours (one of the portal's choices); the
| window stays 24 hours.
|
| - client_preferences.reminder_lead_hours: the column default (a client
|   the trigger gives a preferences row) is 48. An existing client still at
|   24 whose preferences were never saved since the row was made (updated_at
|   = created_at: nobody chose, the old default stands) moves to 48 too;
|   a row anyone saved keeps its value, which may be a choice.
| - practice_settings.default_reminder_lead_hours: the column default is 48,
|   and the practice's row moves from 24 to 48 only when nobody ever saved
|   that field in Portal Settings (no audit event names it), so a practice
|   that chose 24 keeps it.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`alter table client_preferences alter column reminder_lead_hours set default 48`)
    this.schema.raw(`alter table practice_settings alter column default_reminder_lead_hours set default 48`)
    this.schema.raw(`
      update client_preferences
         set reminder_lead_hours = 48
       where reminder_lead_hours = 24 and updated_at = created_at
    `)
    this.schema.raw(`
      update practice_settings
         set default_reminder_lead_hours = 48, updated_at = now()
       where id = 1
         and default_reminder_lead_hours = 24
         and not exists (
               select 1 from audit_events e
                where e.action in ('staff.practice_settings.updated', 'operator.practice_settings.updated')
                  and e.detail ->> 'fields' like '%defaultReminderLeadHours%')
    `)
  }

  // The moved values stay: nothing tells them apart from a later choice of 48.
  async down() {
    this.schema.raw(`alter table client_preferences alter column reminder_lead_hours set default 24`)
    this.schema.raw(`alter table practice_settings alter column default_reminder_lead_hours set default 24`)
  }
}
