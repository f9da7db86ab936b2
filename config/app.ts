import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/core/http'

/** Signs cookies and encrypts data; losing it signs everyone out. */
export const appKey = env.get('APP_KEY')

/** Absolute links in emails are built from it. */
export const appUrl = env.get('APP_URL')

export const http = defineConfig({
  generateRequestId: true,
  allowMethodSpoofing: false,
  // Tests map each database statement to the request that ran it.
  useAsyncLocalStorage: app.inTest,
  /*
  | Behind a load balancer the client IP comes from X-Forwarded-For; trust
  | only loopback and private proxies so the header cannot be spoofed.
  */
  trustProxy: (address) => /^(127\.|10\.|192\.168\.|::1$|::ffff:127\.)/.test(address),
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
})
