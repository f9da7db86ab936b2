import { ClientPreferenceSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Client from '#models/client'
import type { ReminderChannel } from '#support/contact_preferences'

export default class ClientPreference extends ClientPreferenceSchema {
  static table = 'client_preferences'
  static selfAssignPrimaryKey = true
  declare reminderChannel: ReminderChannel

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  static forClient = scope((query, clientId: number) => {
    query.where('client_preferences.client_id', clientId)
  })

  /** One client's contact rules, for the staff banner on the pages about them (null: no row). */
  static contactRulesOf(clientId: number) {
    return ClientPreference.query().withScopes((scopes) => scopes.forClient(clientId)).first()
  }

  /**
   * The client's choices as a portal form sends them: an unticked box is not
   * sent at all, and means "no". "May we text" (`consentSms`) is not among
   * them: staff record it (the portal sends no texts), so it stays as it is.
   */
  mergeChoices(choices: {
    reminderChannel: ReminderChannel
    reminderLeadHours: number
    consentEmail?: boolean
    consentDetailsInEmail?: boolean
  }): ClientPreference {
    return (this as ClientPreference).merge({
      reminderChannel: choices.reminderChannel,
      reminderLeadHours: choices.reminderLeadHours,
      consentEmail: choices.consentEmail ?? false,
      consentDetailsInEmail: choices.consentDetailsInEmail ?? false,
    })
  }
}
