/// <reference lib="dom" />
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import env from '#start/env'
import { PASSWORD, createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { nextTotpCode } from '#tests/helpers/two_factor'
import { inspectPage, watchPage } from './support/pages.js'

/*
| /insights and its outreach list in a real browser (issue #21): axe, the
| HTML checker, CSP and the console, no sideways scroll at 320 px, and the
| period form and the outreach link working with JavaScript off.
*/
const baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`

test.group('Insights in the browser', () => {
  for (const javaScript of [true, false]) {
    test(`the insights pages pass the checks with JavaScript ${javaScript ? 'on' : 'off'}`, async ({ browser, assert }) => {
      const ceo = await createStaff('ceo', { name: 'Maya Okafor' })
      const clinician = await createStaff('clinician', { name: 'Dr. Rowan Hale' })
      const client = await createClient({ firstName: 'Alexandra', lastName: 'Montgomery', primaryClinicianId: clinician.id })
      await createPortalAccount(client)
      await createAppointment(client, clinician, { startsAt: DateTime.now().minus({ days: 20 }), status: 'completed' })
      await createAppointment(client, clinician, { startsAt: DateTime.now().minus({ days: 13 }), status: 'no_show' })

      const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: javaScript, acceptDownloads: true })
      const page = await context.newPage()
      const problems = await watchPage(page)
      await page.goto('/login')
      await page.fill('#field-email', ceo.email)
      await page.fill('#field-password', PASSWORD)
      await Promise.all([page.waitForURL('**/login/two-factor'), page.click('button:has-text("Sign in")')])
      await page.fill('#field-code', await nextTotpCode(ceo))
      await Promise.all([page.waitForURL('**/dashboard'), page.click('button:has-text("Continue")')])

      const found: string[] = []
      const dashboard = await page.goto('/dashboard')
      found.push(...(await inspectPage(page, problems, { html: await dashboard!.text(), name: `insights-dashboard-js-${javaScript}` })))

      await Promise.all([page.waitForURL(/\/insights$/), page.click('a:has-text("All insights")')])
      await page.selectOption('#filter-period', '365')
      await Promise.all([page.waitForURL(/period=365/), page.click('button:has-text("Show")')])
      const response = await page.goto(page.url())
      assert.equal(await page.locator('svg[role="img"] title').first().textContent(), 'No-show rate by month')
      found.push(...(await inspectPage(page, problems, { html: await response!.text(), name: `insights-index-js-${javaScript}` })))

      await Promise.all([page.waitForURL(/\/insights\/outreach\?period=365/), page.click('a:has-text("Clients to reach out to")')])
      const outreach = await page.goto(page.url())
      assert.equal(outreach?.status(), 200)
      assert.equal(await page.locator(`a[href="/clients/${client.id}"]`).first().textContent(), 'Alexandra Montgomery')
      found.push(...(await inspectPage(page, problems, { html: await outreach!.text(), name: `insights-outreach-js-${javaScript}` })))

      assert.deepEqual(found, [], found.join('\n'))
      await context.close()
    }).timeout(120_000)
  }
})
