import db from '@adonisjs/lucid/services/db'
import ClientPreference from '#models/client_preference'
import { auditStaffOrOperator } from '#services/audit'
import type { Actor } from '#support/actor'
import type { ReminderChannel } from '#support/contact_preferences'

/** A client's reminder preference and contact rules, as staff set them (DESIGN §15). */
export interface ContactRules {
  reminderChannel: ReminderChannel
  reminderLeadHours: number
  consentEmail: boolean
  /** "May we text": recorded for staff; the portal sends no texts. */
  consentSms: boolean
  consentDetailsInEmail: boolean
  /** "May we leave voicemail": recorded for staff (the banner says "Do not leave voicemail"). */
  voicemailAllowed: boolean
  /** Discreet mode: every mail about the client is neutral (mayContact). */
  discreetMode: boolean
  /** A free note for staff ("mobile only, never the home number"); audited by name only. */
  contactNote: string | null
}

const FIELDS = [
  'reminderChannel',
  'reminderLeadHours',
  'consentEmail',
  'consentSms',
  'consentDetailsInEmail',
  'voicemailAllowed',
  'discreetMode',
  'contactNote',
] as const

/**
 * Saves a client's contact rules and returns the names of the fields that
 * changed (audited as such, never the values). The row is locked while it
 * is compared and written, so a client saving Account at the same moment
 * does not interleave field by field.
 */
export async function updateContactRules(clientId: number, rules: ContactRules, actor: Actor) {
  const changed = await db.transaction(async (trx) => {
    const preference = await ClientPreference.query({ client: trx })
      .withScopes((scopes) => scopes.forClient(clientId))
      .forUpdate()
      .firstOrFail()
    const fields = FIELDS.filter((field) => preference[field] !== rules[field])
    if (fields.length) {
      preference.merge(Object.fromEntries(fields.map((field) => [field, rules[field]])))
      await preference.useTransaction(trx).save()
    }
    return fields
  })
  if (changed.length) {
    await auditStaffOrOperator(actor, 'client.contact_rules_updated', {
      clientId,
      detail: { clientId, fields: changed.join(',') },
    })
  }
  return changed
}
