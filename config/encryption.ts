import env from '#start/env'
import { defineConfig, drivers } from '@adonisjs/core/encryption'

/** The app's secrets: the first encrypts and signs, all are tried when reading (start/signing.ts uses them too). */
export const APP_SECRETS = [env.get('APP_KEY').release()]

export default defineConfig({
  default: 'cbc',
  list: {
    cbc: drivers.aes256cbc({
      id: 'cbc',
      keys: APP_SECRETS,
    }),
  },
})
