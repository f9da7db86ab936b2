import { defineConfig, stores } from '@adonisjs/limiter'

/*
| Rate limits live in PostgreSQL (table rate_limits), shared by every app
| process, on the machinery pool.
*/
const limiterConfig = defineConfig({
  default: 'database',
  stores: {
    database: stores.database({ tableName: 'rate_limits', connectionName: 'machinery' }),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
