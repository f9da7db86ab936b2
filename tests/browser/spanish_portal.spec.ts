/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { BrowserContext } from 'playwright'
import { DateTime } from 'luxon'
import env from '#start/env'
import {
  PASSWORD,
  createAppointment,
  createClient,
  createEmergencyContact,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'
import { inspectPage, open, watchPage } from './support/pages.js'

/*
| The portal in Spanish passes every browser check the English one does
| (axe, the HTML checker, no CSP or console error, no sideways scrolling at
| 320 px — Spanish runs longer), with JavaScript on and off.
*/
const baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`
const PAGES = ['/portal', '/portal/appointments', '/portal/appointments?tab=past', '/portal/resources', '/portal/account']

async function spanishSpeaker() {
  const provider = await createStaff('clinician', { name: 'Dra. Inés Vidal' })
  const client = await createClient({ firstName: 'Lucía', phone: '+12133734253' })
  await createAppointment(client, provider, { location: 'Consultorio 3' })
  await createAppointment(client, provider, { startsAt: DateTime.now().minus({ weeks: 1 }), status: 'no_show' })
  await createEmergencyContact(client, { name: 'Marta Ruiz' })
  await createSharedResource([client], { title: 'Ejercicios de respiración' })
  return createPortalAccount(client, 'self', { displayName: 'Lucía', language: 'es' })
}

for (const javaScript of [true, false]) {
  test.group(`The portal in Spanish, JavaScript ${javaScript ? 'on' : 'off'}`, () => {
    test('sign-in and every portal page pass the browser checks in Spanish', async ({ browser, assert }) => {
      const account = await spanishSpeaker()
      const context: BrowserContext = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: javaScript, locale: 'es-US' })
      const page = await context.newPage()
      const found: string[] = []
      const watched = javaScript ? await watchPage(page) : null
      // axe needs scripts: a JS-off page is inspected in a twin context with the same cookies.
      const inspect = async (html: string, name: string) => {
        const twin = javaScript ? null : await browser.newContext({ storageState: await context.storageState(), baseURL: baseUrl, locale: 'es-US' })
        const target = twin ? await twin.newPage() : page
        const problems = watched ?? (await watchPage(target))
        if (twin) await target.goto(page.url())
        try {
          found.push(...(await inspectPage(target, problems, { html, name: `es-${name}-${javaScript ? 'js' : 'nojs'}` })).map((problem) => `${name}: ${problem}`))
        } finally {
          await twin?.close()
        }
      }

      const login = await open(page, '/portal/login')
      assert.include(login, '<html lang="es">')
      await inspect(login, 'login')
      await page.fill('#field-email', account.email)
      await page.fill('#field-password', PASSWORD)
      await Promise.all([page.waitForURL('**/portal'), page.click('main form button[type="submit"]')])

      for (const path of PAGES) {
        const html = await open(page, path)
        assert.include(html, '<html lang="es">', path)
        await inspect(html, path.replace(/\W+/g, '-'))
      }
      await context.close()
      assert.deepEqual(found, [])
    }).timeout(120_000)
  })
}
