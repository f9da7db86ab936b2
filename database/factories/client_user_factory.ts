import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Client from '#models/client'
import ClientUser from '#models/client_user'
import ClientUserLink, { type Relationship } from '#models/client_user_link'
import { hashedPassword } from '#database/factories/accounts'
import { unique } from '#database/factories/unique'

/** An active portal account linked (verified) to the given clients. */
export async function createPortalAccount(
  clients: Client | Client[],
  relationship: Relationship = 'self',
  attributes: Partial<ClientUser> = {},
  link: Partial<Pick<ClientUserLink, 'accessLevel'>> = {}
) {
  const email = `${unique('portal')}@portal.test`
  const [row] = await db
    .table('client_users')
    .insert({ email, password: await hashedPassword(), display_name: unique('Name'), status: 'active' })
    .returning('id')
  const account = await ClientUser.findOrFail(row.id)
  if (Object.keys(attributes).length) await account.merge(attributes).save()
  for (const client of [clients].flat()) {
    await ClientUserLink.create({
      clientUserId: account.id,
      clientId: client.id,
      relationship,
      verifiedAt: DateTime.now(),
      consentRecordedAt: relationship === 'authorized_caregiver' ? DateTime.now() : null,
      ...link,
    })
  }
  return account
}
