import { WaitlistSlotSchema } from '#database/schema'
import { scope } from '@adonisjs/lucid/orm'
import type { DateTime } from 'luxon'

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

  /** Due for the worker at `now`: a slot never offered yet at once, then when its next wave is due. */
  static dueAt = scope((query, now: DateTime) => {
    query.where((due) => due.where('waitlist_slots.waves', 0).orWhere('waitlist_slots.next_wave_at', '<=', now.toSQL()!))
  })
}
