import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/static'

/*
| Assets under public/ are served by the app (no CDN, so the CSP can stay
| 'self'). Files are fingerprinted by query string in the layouts, so
| production caches them for a long time.
*/
const staticServerConfig = defineConfig({
  enabled: true,
  etag: true,
  lastModified: true,
  dotFiles: 'ignore',
  immutable: app.inProduction,
  maxAge: app.inProduction ? '365d' : 0,
})

export default staticServerConfig
