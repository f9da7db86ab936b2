import { ClientUserSchema } from '#database/schema'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import ClientUserLink from '#models/client_user_link'

export type ClientUserStatus = 'onboarding' | 'active' | 'disabled'

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/** A portal account: a client, or a guardian acting for one or more clients. */
export default class ClientUser extends compose(ClientUserSchema, AuthFinder) {
  /** Account machinery: the app role's own pool, outside any client transaction. */
  static connection = 'machinery'

  declare status: ClientUserStatus

  @hasMany(() => ClientUserLink)
  declare links: HasMany<typeof ClientUserLink>

  /** Ends every open session of this account on its next request. */
  async endAllSessions() {
    this.sessionEpoch += 1
    await this.save()
  }
}
