import app from '@adonisjs/core/services/app'
import { configProvider } from '@adonisjs/core'
import { defineConfig } from '@adonisjs/session'

/*
| Sessions live in PostgreSQL (table `sessions`, the `machinery` pool), never
| in process memory, so any number of app processes can serve any request.
| The store is our own small variant of the framework's database store
| (app/services/session_store.ts): it skips rewriting an unchanged session's
| expiry on every request.
*/
const sessionConfig = defineConfig({
  enabled: true,
  cookieName: 'careincite_session',
  /* A shared family computer: closing the browser ends the session. */
  clearWithBrowser: true,
  age: '12h',
  cookie: {
    path: '/',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
  store: 'database',
  stores: {
    database: configProvider.create(async (application) => {
      const { DatabaseSessionStore } = await import('#services/session_store')
      const db = await application.container.make('lucid.db')
      return (_, config) => new DatabaseSessionStore(db.connection('machinery'), config.age)
    }),
  },
})

export default sessionConfig
