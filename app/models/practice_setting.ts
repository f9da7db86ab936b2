import { PracticeSettingSchema } from '#database/schema'
import practice from '#config/practice'

/*
| The practice's run-time decisions (DESIGN §13): one row. Read through
| `PracticeSetting.current()`, cached per process for a few seconds so a
| change in Portal Settings reaches every app and worker process within 10 s
| without a query on every request.
*/
const CACHE_MILLISECONDS = 5_000

let cached: { settings: PracticeSetting; readAt: number } | null = null

/** The quick exit's address when the settings cannot be read (the database is away); the column's default too. */
export const DEFAULT_QUICK_EXIT_URL = 'https://www.weather.com/'

export const SCHEDULING_MODES = ['view_only', 'requests'] as const
export type SchedulingMode = (typeof SCHEDULING_MODES)[number]

export default class PracticeSetting extends PracticeSettingSchema {
  static table = 'practice_settings'
  declare schedulingMode: SchedulingMode
  /** Machinery: the app role's own pool. */
  static connection = 'machinery'

  static async current(): Promise<PracticeSetting> {
    if (cached && Date.now() - cached.readAt < CACHE_MILLISECONDS) return cached.settings
    const settings = await PracticeSetting.findOrFail(1)
    cached = { settings, readAt: Date.now() }
    return settings
  }

  /** After a change in this process: the next read sees it at once. */
  static forget() {
    cached = null
  }

  /**
   * Whether clients may act on their schedule online (DESIGN §14): cancel
   * ahead of the window, ask for times, join the waitlist. In `view_only`
   * they only look, and the "I can't make it" page shows the phone.
   */
  get clientsMaySchedule() {
    return this.schedulingMode === 'requests'
  }

  /** The name mail is sent as: the one set here, else the practice's. */
  get mailSenderName() {
    return this.senderName ?? practice.name
  }
}
