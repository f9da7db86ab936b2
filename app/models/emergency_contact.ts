import { EmergencyContactSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Client from '#models/client'
import { formatPhoneForDisplay, phoneCheckHint } from '#support/phone'
import { CALLING_ORDER_LABELS } from '#support/contact_preferences'

export default class EmergencyContact extends EmergencyContactSchema {
  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  static forClient = scope((query, clientId: number) => {
    query.where('emergency_contacts.client_id', clientId)
  })

  /** Who to call first comes first. */
  static inCallingOrder = scope((query) => {
    query.orderBy('emergency_contacts.priority', 'asc').orderBy('emergency_contacts.id', 'asc')
  })

  /** "First", "Second", …: where this contact is in the calling order. */
  get callingOrderLabel() {
    return CALLING_ORDER_LABELS[this.priority - 1] ?? String(this.priority)
  }

  /** The stored E.164 number as people write it: "(213) 555-0142". */
  get phoneForDisplay() {
    return formatPhoneForDisplay(this.phone)
  }

  /** A calm "please check" for a number on file that is not known to be in use. */
  get phoneHint() {
    return phoneCheckHint(this.phone)
  }
}
