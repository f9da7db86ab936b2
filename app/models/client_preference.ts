import { ClientPreferenceSchema } from '#database/schema'
import { belongsTo, scope } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Client from '#models/client'

export const REMINDER_CHANNELS = ['email', 'none'] as const
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number]

/** The lead times offered to clients; the database allows 1 to 168 hours. */
export const REMINDER_LEAD_HOURS_CHOICES = [2, 24, 48] as const

/** Languages the practice can offer, each named in its own language. */
export const PREFERRED_LANGUAGES = {
  en: 'English',
  es: 'Español',
  zh: '中文',
  vi: 'Tiếng Việt',
  tl: 'Tagalog',
  ko: '한국어',
  ar: 'العربية',
  ru: 'Русский',
  fr: 'Français',
  ht: 'Kreyòl ayisyen',
  pt: 'Português',
} as const
export type PreferredLanguage = keyof typeof PREFERRED_LANGUAGES

export default class ClientPreference extends ClientPreferenceSchema {
  static table = 'client_preferences'
  static selfAssignPrimaryKey = true
  declare reminderChannel: ReminderChannel

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>

  static forClient = scope((query, clientId: number) => {
    query.where('client_preferences.client_id', clientId)
  })
}
