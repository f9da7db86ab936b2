import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

/*
| Sessions live in PostgreSQL (table `sessions`), never in process memory,
| so any number of app processes can serve any request.
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
    database: stores.database({ tableName: 'sessions', connectionName: 'machinery' }),
  },
})

export default sessionConfig
