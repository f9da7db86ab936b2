import { SessionLucidUserProvider } from '@adonisjs/auth/session'
import type ClientUser from '#models/client_user'

/*
| The `client_users` guard's user provider: the framework's Lucid provider,
| except that the account is read together with its live links and their
| clients (ClientUser.findWithLiveLinks). The session's account lookup and the
| portal's access check are then one statement on every request.
|
| Kept by measurement (issue #25, README "Benchmark"): with the framework's
| `sessionUserProvider` and the links preloaded instead (the account, then
| its links, then their clients), a portal page cost 0.39 ms more CPU (app +
| PostgreSQL, mean of the three portal pages, medians of three runs).
*/
export class PortalAccountProvider extends SessionLucidUserProvider<typeof ClientUser> {
  async findById(identifier: string | number | BigInt) {
    const model = await this.getModel()
    const account = await model.findWithLiveLinks(identifier as number)
    return account ? this.createUserForGuard(account) : null
  }
}
