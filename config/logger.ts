import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, targets } from '@adonisjs/core/logger'

/*
| Logs never carry PHI: request logs hold the method, route and status, and
| the app logs ids, never names, emails or search terms.
*/
const loggerConfig = defineConfig({
  default: 'app',
  loggers: {
    app: {
      enabled: true,
      name: 'careincite',
      level: env.get('LOG_LEVEL', app.inTest ? 'silent' : 'info'),
      redact: {
        paths: ['password', '*.password', 'email', '*.email', 'req.headers.cookie'],
        censor: '[redacted]',
      },
      transport: {
        targets: targets()
          .pushIf(app.inDev, targets.pretty())
          // Ace commands log to stderr, so a command's own output (a CSV export) stays clean.
          .pushIf(!app.inDev, targets.file({ destination: app.getEnvironment() === 'console' ? 2 : 1 }))
          .toArray(),
      },
    },
  },
})

export default loggerConfig

declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
