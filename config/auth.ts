import { defineConfig } from '@adonisjs/auth'
import { sessionGuard, sessionUserProvider } from '@adonisjs/auth/session'
import { PortalAccountProvider } from '#services/portal_account_provider'
import type { InferAuthenticators, InferAuthEvents, Authenticators } from '@adonisjs/auth/types'

/*
| Two separate worlds: staff sign in against `staff_users`, portal users
| against `client_users`. Each guard keeps its own session key
| (auth_staff / auth_client_users), so one never reads the other's login.
*/
const authConfig = defineConfig({
  default: 'staff',
  guards: {
    staff: sessionGuard({
      useRememberMeTokens: false,
      provider: sessionUserProvider({
        model: () => import('#models/staff_user'),
      }),
    }),
    client_users: sessionGuard({
      useRememberMeTokens: false,
      provider: new PortalAccountProvider({
        model: () => import('#models/client_user'),
      }),
    }),
  },
})

export default authConfig

declare module '@adonisjs/auth/types' {
  export interface Authenticators extends InferAuthenticators<typeof authConfig> {}
}
declare module '@adonisjs/core/types' {
  interface EventsList extends InferAuthEvents<Authenticators> {}
}
