import { DateTime } from 'luxon'
import type ClientUserLink from '#models/client_user_link'
import type Client from '#models/client'
import type ClientUser from '#models/client_user'
import { practiceNow } from '#support/practice_time'

/*
| Which clients a portal account may act for right now. Account machinery:
| it runs as the app role, outside any client's RLS context, and is
| re-checked on every request so an ended link, a client who left `active`
| or a child who turned 18 loses access on the very next request.
| The links come with the account itself (ClientUser.withLiveLinks, read when
| the guard signs the request in): no query of its own.
*/
export interface AccessibleClient {
  link: ClientUserLink
  client: Client
}

export async function accessibleClients(account: ClientUser): Promise<AccessibleClient[]> {
  const links = await account.loadLiveLinks()
  const today = practiceNow()

  return links
    .map((link) => ({ link, client: link.client }))
    .filter(({ client }) => client.status === 'active')
    .filter(({ link, client }) => link.relationship !== 'parent' || !isAdult(client.dateOfBirth, today))
    .sort((a, b) => a.client.displayFirstName.localeCompare(b.client.displayFirstName))
}

/** A `parent` link stops on the client's 18th birthday, in the practice's time zone. */
export function isAdult(dateOfBirth: DateTime | null, today: DateTime) {
  if (!dateOfBirth) return false
  const eighteenth = DateTime.fromObject(
    { year: dateOfBirth.year + 18, month: dateOfBirth.month, day: dateOfBirth.day },
    { zone: today.zone }
  )
  return today >= eighteenth.startOf('day')
}
