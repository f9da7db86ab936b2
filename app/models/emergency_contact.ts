import { EmergencyContactSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Client from '#models/client'

export default class EmergencyContact extends EmergencyContactSchema {
  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  static forClient = scope((query, clientId: number) => {
    query.where('emergency_contacts.client_id', clientId)
  })
}
