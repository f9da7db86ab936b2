import { BaseModel, column } from '@adonisjs/lucid/orm'

/*
| The portal's read-only window on staff: id and name of the active client's
| providers (view portal_provider_names). The portal role cannot read
| staff_users itself.
*/
export default class ProviderName extends BaseModel {
  static table = 'portal_provider_names'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string
}
