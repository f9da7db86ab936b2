import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/shield'

/*
| Every asset is served by the app, so the policy is 'self' only: no inline
| scripts or styles, no eval, no third-party hosts.
*/
const shieldConfig = defineConfig({
  csp: {
    enabled: true,
    directives: {
      defaultSrc: [`'self'`],
      baseUri: [`'none'`],
      formAction: [`'self'`],
      frameAncestors: [`'none'`],
      objectSrc: [`'none'`],
    },
    reportOnly: false,
  },
  csrf: {
    enabled: true,
    /* A function, not a list: shield runs as server middleware, before routing. */
    exceptRoutes: () => false,
    enableXsrfCookie: false,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: {
    enabled: true,
    action: 'DENY',
  },
  hsts: {
    enabled: app.inProduction,
    maxAge: '180 days',
  },
  contentTypeSniffing: {
    enabled: true,
  },
})

export default shieldConfig
