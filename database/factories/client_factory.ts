import factory from '@adonisjs/lucid/factories'
import { DateTime } from 'luxon'
import Client from '#models/client'
import { unique } from '#database/factories/unique'

export const ClientFactory = factory
  .define(Client, () => ({
    firstName: unique('First'),
    lastName: unique('Last'),
    dateOfBirth: DateTime.fromISO('1990-04-12'),
    status: 'active' as const,
  }))
  .build()

export function createClient(attributes: Partial<Client> = {}) {
  return ClientFactory.merge(attributes).create()
}
