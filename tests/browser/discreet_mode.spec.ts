/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright'
import { DateTime } from 'luxon'
import env from '#start/env'
import practice from '#config/practice'
import ClientPreference from '#models/client_preference'
import type StaffUser from '#models/staff_user'
import { PASSWORD, createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { nextTotpCode } from '#tests/helpers/two_factor'
import { inspectPage, open, watchPage, type PageProblems } from './support/pages.js'

/*
| Discreet mode and contact rules in a real browser (issue #18 items 2 and
| 3): the Account page with the discreet-mode control, used with JavaScript
| on and off, and the staff client record and appointment pages with the
| contact-rules banner, JavaScript on and off too. Every page passes axe, the HTML checker, the CSP and
| 320 px checks (support/pages.ts).
*/
const baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`

interface Visitor {
  browser: Browser
  page: Page
  problems: PageProblems
  found: string[]
  javaScript: boolean
}

async function newVisitor(browser: Browser, javaScript: boolean): Promise<Visitor> {
  const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: javaScript })
  const page = await context.newPage()
  return { browser, page, problems: await watchPage(page), found: [], javaScript }
}

/** Every check on the page now shown; axe needs JavaScript, so a JS-off page is checked in a JS twin with the same cookies. */
async function check(visitor: Visitor, name: string, html: string) {
  const label = `${name}-${visitor.javaScript ? 'js' : 'nojs'}`
  if (visitor.javaScript) {
    visitor.found.push(...(await inspectPage(visitor.page, visitor.problems, { html, name: label })).map((problem) => `${label}: ${problem}`))
    return
  }
  const twin = await visitor.browser.newContext({ storageState: await visitor.page.context().storageState(), baseURL: baseUrl })
  try {
    const page = await twin.newPage()
    const problems = await watchPage(page)
    await page.goto(visitor.page.url())
    visitor.found.push(...(await inspectPage(page, problems, { html, name: label })).map((problem) => `${label}: ${problem}`))
  } finally {
    await twin.close()
  }
}

async function signInPortal(visitor: Visitor, email: string) {
  await open(visitor.page, '/portal/login')
  await visitor.page.fill('#field-email', email)
  await visitor.page.fill('#field-password', PASSWORD)
  await Promise.all([visitor.page.waitForURL('**/portal'), visitor.page.click('button:has-text("Sign in")')])
}

async function signInStaff(visitor: Visitor, staff: StaffUser) {
  await open(visitor.page, '/login')
  await visitor.page.fill('#field-email', staff.email)
  await visitor.page.fill('#field-password', PASSWORD)
  await Promise.all([visitor.page.waitForURL(/\/(dashboard|login\/two-factor)$/), visitor.page.click('button:has-text("Sign in")')])
  if (visitor.page.url().endsWith('/login/two-factor')) {
    await visitor.page.fill('#field-code', await nextTotpCode(staff))
    await Promise.all([visitor.page.waitForURL('**/dashboard'), visitor.page.click('button:has-text("Continue")')])
  }
}

test.group('Discreet mode and contact rules in the browser', () => {
  for (const javaScript of [true, false]) {
    test(`the client turns discreet mode on in Account, JavaScript ${javaScript ? 'on' : 'off'}; the tab title leaves out the practice`, async ({ browser, assert }) => {
      const client = await createClient()
      const account = await createPortalAccount(client, 'self')
      const visitor = await newVisitor(browser, javaScript)
      await signInPortal(visitor, account.email)
      assert.include(await visitor.page.title(), practice.name)

      const html = await open(visitor.page, '/portal/account')
      const box = visitor.page.getByLabel('Use discreet mode for emails about me and for this portal')
      assert.isFalse(await box.isChecked())
      await check(visitor, 'portal-account-discreet', html)

      await box.check()
      await Promise.all([
        visitor.page.waitForURL('**/portal/account'),
        visitor.page.locator('form[action="/portal/account/preferences"] button[type="submit"]').click(),
      ])
      assert.isTrue((await ClientPreference.findOrFail(client.id)).discreetMode)
      assert.notInclude(await visitor.page.title(), practice.name)
      assert.isTrue(await visitor.page.getByLabel('Use discreet mode for emails about me and for this portal').isChecked())
      await visitor.page.goto('/portal/appointments')
      assert.notInclude(await visitor.page.title(), practice.name)
      assert.deepEqual(visitor.found, [])
    }).timeout(120_000)
  }

  for (const javaScript of [true, false]) {
    test(`staff see the contact-rules banner on the client record and the appointment pages, JavaScript ${javaScript ? 'on' : 'off'}`, async ({ browser, assert }) => {
      const clinician = await createStaff('clinician')
      const client = await createClient({ primaryClinicianId: clinician.id })
      await ClientPreference.updateOrCreate(
        { clientId: client.id },
        { discreetMode: true, voicemailAllowed: false, contactNote: 'Mobile only, never the home number.' }
      )
      const appointment = await createAppointment(client, clinician, { startsAt: DateTime.now().plus({ days: 2 }).startOf('minute') })
      const visitor = await newVisitor(browser, javaScript)
      await signInStaff(visitor, await createStaff('ceo'))
      for (const path of [`/clients/${client.id}`, `/appointments/${appointment.id}`, `/appointments/${appointment.id}/edit`]) {
        const response = await visitor.page.goto(path)
        assert.equal(response?.status(), 200, path)
        const banner = visitor.page.locator('#contact-rules-banner')
        assert.isTrue(await banner.isVisible(), path)
        assert.include(await banner.innerText(), 'Do not leave voicemail')
        assert.include(await banner.innerText(), 'Mobile only, never the home number.')
        await check(visitor, `staff-contact-rules${path.replaceAll('/', '-')}`, await response!.text())
      }
      assert.deepEqual(visitor.found, [])
    }).timeout(120_000)
  }
})
