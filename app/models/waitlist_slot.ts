import { WaitlistSlotSchema } from '#database/schema'

/**
 * A session time a cancellation freed (issue #22), written by the database
 * trigger waitlist_record_freed_slot in the cancelling transaction. The
 * worker offers it in waves; accepting an offer locks this row.
 */
export default class WaitlistSlot extends WaitlistSlotSchema {
  /** Waitlist machinery: the app role's own pool, outside any client transaction. */
  static connection = 'machinery'
  static table = 'waitlist_slots'
  declare status: 'open' | 'taken' | 'closed'
}
