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
    test(`the insights pages ${javaScript ? 'pass the checks (axe, HTML, CSP, 320 px)' : 'work with JavaScript off'}`, async ({ browser, assert }) => {
      const ceo = await createStaff('ceo', { name: 'Maya Okafor' })
      const clinician = await createStaff('clinician', { name: 'Dr. Rowan Hale' })
      const client = await createClient({ firstName: 'Alexandra', lastName: 'Montgomery', primaryClinicianId: clinician.id })
      await createPortalAccount(client)
      await createAppointment(client, clinician, { startsAt: DateTime.now().minus({ days: 20 }), status: 'completed' })
      await createAppointment(client, clinician, { startsAt: DateTime.now().minus({ days: 13 }), status: 'no_show' })

      // Sign in with JavaScript on (the two-factor step), then browse in a context of the chosen kind.
      const signInContext = await browser.newContext({ baseURL: baseUrl })
      const signInPage = await signInContext.newPage()
      await signInPage.goto('/login')
      await signInPage.fill('#field-email', ceo.email)
      await signInPage.fill('#field-password', PASSWORD)
      await Promise.all([signInPage.waitForURL('**/login/two-factor'), signInPage.click('button:has-text("Sign in")')])
      await signInPage.fill('#field-code', await nextTotpCode(ceo))
      await Promise.all([signInPage.waitForURL('**/dashboard'), signInPage.click('button:has-text("Continue")')])
      const storageState = await signInContext.storageState()
      await signInContext.close()

      const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: javaScript, storageState })
      const page = await context.newPage()
      const problems = await watchPage(page)

      // axe needs JavaScript (its timers never fire with scripts off): the JS-on run inspects the same pages.
      const found: string[] = []
      const inspect = async (html: string, name: string) =>
        javaScript ? found.push(...(await inspectPage(page, problems, { html, name }))) : undefined
      const dashboard = await page.goto('/dashboard')
      await inspect(await dashboard!.text(), 'insights-dashboard')

      await Promise.all([page.waitForURL(/\/insights$/), page.click('a:has-text("All insights")')])
      await page.selectOption('#filter-period', '365')
      await Promise.all([page.waitForURL(/period=365/), page.click('button:has-text("Show")')])
      const response = await page.goto(page.url())
      assert.equal(await page.locator('svg[role="img"] title').first().textContent(), 'No-show rate by month')
      await inspect(await response!.text(), 'insights-index')

      // Printed (issue #21): the content only — no navigation, header or period form — with every chart and table.
      assert.isTrue(await page.locator('nav.sidebar').isVisible())
      await page.emulateMedia({ media: 'print' })
      for (const hidden of ['nav.sidebar', '.site-header', '.period-form', '.page-header-actions']) {
        assert.isTrue(await page.locator(hidden).isHidden(), `${hidden} is not printed`)
      }
      const charts = await page.locator('svg.chart-svg').all()
      assert.isAtLeast(charts.length, 2)
      for (const chart of charts) {
        assert.isTrue(await chart.isVisible())
        assert.isAbove((await chart.boundingBox())!.height, 50)
      }
      for (const caption of ['#months-caption', '#side-caption', '#adoption-caption', '#clinicians-caption']) {
        assert.isTrue(await page.locator(caption).isVisible(), `${caption} is printed`)
      }
      await page.emulateMedia({ media: 'screen' })

      await Promise.all([page.waitForURL(/\/insights\/outreach\?period=365/), page.click('a:has-text("Clients to reach out to")')])
      const outreach = await page.goto(page.url())
      assert.equal(outreach?.status(), 200)
      assert.equal(await page.locator(`a[href="/clients/${client.id}"]`).first().textContent(), 'Alexandra Montgomery')
      await inspect(await outreach!.text(), 'insights-outreach')

      assert.deepEqual(found, [], found.join('\n'))
      await context.close()
    }).timeout(120_000)
  }
})
