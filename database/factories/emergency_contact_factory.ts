import factory from '@adonisjs/lucid/factories'
import type Client from '#models/client'
import EmergencyContact from '#models/emergency_contact'
import { unique } from '#database/factories/unique'

export const EmergencyContactFactory = factory
  .define(EmergencyContact, () => ({
    name: unique('Contact'),
    relationship: 'Friend',
    phone: '+15550100000',
    priority: 1,
  }))
  .build()

export function createEmergencyContact(client: Client, attributes: Partial<EmergencyContact> = {}) {
  return EmergencyContactFactory.merge({ clientId: client.id, ...attributes }).create()
}
