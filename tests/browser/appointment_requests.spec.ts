/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser, BrowserContext, Page } from 'playwright'
import { DateTime } from 'luxon'
import env from '#start/env'
import practice from '#config/practice'
import AppointmentRequest from '#models/appointment_request'
import type StaffUser from '#models/staff_user'
import { PASSWORD, AppointmentTypeFactory, createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { inspectPage, open, watchPage, type PageProblems } from './support/pages.js'

/*
| The request → book journey (issue #19): a client asks for an appointment in
| the portal, support staff book it from the inbox, the client sees it booked;
| with JavaScript on and off, every page through axe and the HTML checker.
*/
const baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`

interface Visitor {
  context: BrowserContext
  page: Page
  problems: PageProblems
  found: string[]
  javaScript: boolean
}

async function newVisitor(browser: Browser, javaScript: boolean): Promise<Visitor> {
  const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: javaScript })
  const page = await context.newPage()
  return { context, page, problems: await watchPage(page), found: [], javaScript }
}

/**
 * Every check on the page now shown. axe needs JavaScript, so a JS-off
 * visitor's page is inspected in a twin JS-enabled context with the same
 * cookies (as tests/browser/portal_journeys.spec.ts does).
 */
async function check(browser: Browser, visitor: Visitor, name: string) {
  const label = `${name}-${visitor.javaScript ? 'js' : 'nojs'}`
  const html = await (await visitor.page.request.get(visitor.page.url())).text()
  let page = visitor.page
  let problems = visitor.problems
  let twin: BrowserContext | null = null
  if (!visitor.javaScript) {
    twin = await browser.newContext({ storageState: await visitor.context.storageState(), baseURL: baseUrl })
    page = await twin.newPage()
    problems = await watchPage(page)
    await page.goto(visitor.page.url())
  }
  try {
    const found = await inspectPage(page, problems, { html, name: label })
    visitor.found.push(...found.map((problem) => `${label}: ${problem}`))
  } finally {
    await twin?.close()
  }
}

async function signInStaff(visitor: Visitor, staff: StaffUser) {
  await open(visitor.page, '/login')
  await visitor.page.fill('#field-email', staff.email)
  await visitor.page.fill('#field-password', PASSWORD)
  await Promise.all([visitor.page.waitForURL(/\/dashboard$/), visitor.page.click('button:has-text("Sign in")')])
}

for (const javaScript of [true, false]) {
  test.group(`Appointment requests in the browser (JavaScript ${javaScript ? 'on' : 'off'})`, () => {
    test('a client asks, staff book it from the inbox, the client sees it booked', async ({ browser, assert }) => {
      const provider = await createStaff('clinician')
      const client = await createClient({ firstName: `Rowan${Date.now() % 100000}`, lastName: 'Ashby' })
      await createAppointment(client, provider)
      const account = await createPortalAccount(client)
      const type = await AppointmentTypeFactory.create()

      const portal = await newVisitor(browser, javaScript)
      await open(portal.page, '/portal/login')
      await portal.page.fill('#field-email', account.email)
      await portal.page.fill('#field-password', PASSWORD)
      await Promise.all([portal.page.waitForURL('**/portal'), portal.page.click('button:has-text("Sign in")')])
      await open(portal.page, '/portal/appointments')
      await Promise.all([portal.page.waitForURL('**/portal/appointment-requests/new'), portal.page.click('a:has-text("Ask for an appointment")')])
      await check(browser, portal, 'portal-request-form')

      // Sent without a day: the calm error, then the request.
      await Promise.all([portal.page.waitForLoadState('load'), portal.page.click('button:has-text("Send request")')])
      await portal.page.waitForSelector('text=Please choose at least one day.')
      await check(browser, portal, 'portal-request-form-errors')
      await portal.page.check('#field-days-wed')
      await portal.page.check('#field-parts-morning')
      await portal.page.selectOption('#field-providerId', String(provider.id))
      await portal.page.check('#field-modality-video')
      await portal.page.fill('#field-note', 'Mornings before school drop-off work best')
      await Promise.all([portal.page.waitForURL('**/portal/appointment-requests'), portal.page.click('button:has-text("Send request")')])
      assert.include(await portal.page.textContent('main'), 'Your request is sent')
      await check(browser, portal, 'portal-requests')
      const request = await AppointmentRequest.query().where('client_id', client.id).firstOrFail()

      const staff = await newVisitor(browser, javaScript)
      await signInStaff(staff, await createStaff('support_staff'))
      await open(staff.page, '/appointments/requests')
      await check(browser, staff, 'staff-request-inbox')
      assert.include(await staff.page.textContent(`#request-${request.id}`), 'Mornings before school drop-off work best')
      await Promise.all([staff.page.waitForURL(/\/appointments\/new\?/), staff.page.click(`#request-${request.id} a:has-text("Book")`)])
      await check(browser, staff, 'staff-book-from-request')
      await staff.page.selectOption('#field-appointmentTypeId', String(type.id))
      const startsAt = DateTime.now().setZone(practice.timeZone).plus({ days: 450 + (Date.now() % 200) }).set({ hour: 9, minute: 0 })
      await staff.page.fill('#field-startsAt', startsAt.toFormat("yyyy-MM-dd'T'HH:mm"))
      await Promise.all([staff.page.waitForURL(/\/appointments\/\d+$/), staff.page.click('button:has-text("Book appointment")')])

      await request.refresh()
      assert.equal(request.status, 'booked')
      await open(portal.page, '/portal/appointment-requests')
      assert.include(await portal.page.textContent('main'), 'Booked')
      await check(browser, portal, 'portal-requests-booked')

      const found = [...portal.found, ...staff.found]
      assert.deepEqual(found, [], found.join('\n'))
    }).timeout(120_000)
  })
}
