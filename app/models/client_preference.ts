import { ClientPreferenceSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Client from '#models/client'

export default class ClientPreference extends ClientPreferenceSchema {
  static table = 'client_preferences'
  static selfAssignPrimaryKey = true
  declare reminderChannel: 'email' | 'none'

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  static forClient = scope((query, clientId: number) => {
    query.where('client_preferences.client_id', clientId)
  })
}
