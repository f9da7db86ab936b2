import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'
import { runningEmbeddedUrl } from '#database/embedded_postgres'
import pg from 'pg'

/*
| int8 (ids, counts) as numbers, and `date` columns as their 'YYYY-MM-DD'
| text so a date of birth never shifts with the server's time zone.
*/
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)

/*
| DATABASE_URL wins. In development without it, ace commands run by hand
| connect to the embedded cluster that `npm run dev` keeps running.
*/
const connectionString =
  env.get('DATABASE_URL') ??
  (app.inDev
    ? await runningEmbeddedUrl(env.get('EMBEDDED_PG_DIR', 'tmp/postgres'), 'careincite')
    : null)

if (!connectionString && (app.getEnvironment() === 'web' || app.inProduction)) {
  throw new Error('DATABASE_URL is not set, and no embedded PostgreSQL is running (npm run dev starts one)')
}

/*
| Two pools on the same database, for two kinds of work (DESIGN §5):
| - `pg`: client data. A protected portal request holds one of these for its
|   whole RLS transaction; the staff side and migrations use it too.
| - `machinery`: accounts, sessions, portal links, tokens and the audit
|   trail, always as the app role and never inside a client's transaction.
| A portal request that holds its transaction may need one machinery
| connection (an audit write), never a second `pg` one; machinery work never
| waits on `pg`. So a busy pool cannot deadlock on itself.
*/
const connection = {
  connectionString: connectionString ?? 'postgres://careincite_app@127.0.0.1:5433/careincite',
}

const dbConfig = defineConfig({
  connection: 'pg',
  prettyPrintDebugQueries: false,
  connections: {
    pg: {
      client: 'pg',
      connection,
      pool: { min: 0, max: env.get('DB_POOL_MAX', 10) },
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
      seeders: {
        paths: ['database/seeders'],
      },
      schemaGeneration: {
        enabled: app.inDev,
        excludeTables: ['sessions'],
        rulesPaths: ['./database/schema_rules.js'],
      },
      // Tests listen to every statement (db:query) to prove none escapes the portal's context.
      debug: app.inTest,
    },
    machinery: {
      client: 'pg',
      connection,
      pool: { min: 0, max: env.get('DB_MACHINERY_POOL_MAX', 5) },
      schemaGeneration: { enabled: false },
      debug: app.inTest,
    },
  },
})

export default dbConfig
