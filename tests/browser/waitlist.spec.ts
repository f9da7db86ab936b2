/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser, BrowserContext, Page } from 'playwright'
import { DateTime } from 'luxon'
import env from '#start/env'
import practice from '#config/practice'
import db from '@adonisjs/lucid/services/db'
import Appointment from '#models/appointment'
import WaitlistEntry from '#models/waitlist_entry'
import { runWaitlistPass } from '#actions/waitlist/send_waitlist_offers'
import { cancelAppointment } from '#actions/appointments/cancel_appointment'
import type StaffUser from '#models/staff_user'
import { PASSWORD, createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { inspectPage, open, watchPage, type PageProblems } from './support/pages.js'

/*
| The waitlist journey (issue #22): a client joins from an appointment, a
| cancellation frees an earlier time, the worker's pass offers it, the client
| opens the emailed link and takes the time, and sees the earlier
| appointment; staff see the waitlist. JavaScript on and off, every page
| through axe and the HTML checker.
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
  test.group(`Waitlist in the browser (JavaScript ${javaScript ? 'on' : 'off'})`, () => {
    test('join, get an offer, take the earlier time, see it', async ({ browser, assert }) => {
      const provider = await createStaff('clinician')
      const client = await createClient({ firstName: `Quinn${Date.now() % 100000}`, lastName: 'Ashby' })
      const base = DateTime.now().setZone(practice.timeZone).plus({ days: 300 + (Date.now() % 200) }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 })
      const later = await createAppointment(client, provider, { startsAt: base.plus({ days: 14 }) })
      const account = await createPortalAccount(client)

      const portal = await newVisitor(browser, javaScript)
      await open(portal.page, '/portal/login')
      await portal.page.fill('#field-email', account.email)
      await portal.page.fill('#field-password', PASSWORD)
      await Promise.all([portal.page.waitForURL('**/portal'), portal.page.click('button:has-text("Sign in")')])
      await open(portal.page, `/portal/appointments/${later.id}`)
      await Promise.all([portal.page.waitForURL(`**/portal/appointments/${later.id}/waitlist`), portal.page.click('#waitlist-link')])
      await check(browser, portal, 'portal-waitlist-form')
      await portal.page.check('#field-days-' + ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][base.weekday - 1])
      await Promise.all([portal.page.waitForLoadState('load'), portal.page.click('button:has-text("Offer me an earlier time")')])
      await portal.page.waitForSelector('#waitlist-entry')
      await check(browser, portal, 'portal-waitlist-entry')
      assert.equal((await WaitlistEntry.query().where('client_id', client.id).firstOrFail()).status, 'waiting')

      // Another client's session a week earlier is cancelled; the worker's pass offers it.
      const freed = await createAppointment(await createClient(), provider, { startsAt: base.plus({ days: 7 }) })
      const admin = await createStaff('admin')
      await cancelAppointment({ appointmentId: freed.id, notLate: true }, { kind: 'staff', id: admin.id, ip: null, userAgent: null })
      await runWaitlistPass()
      const mail = await db.connection('machinery').from('mail_messages').where({ template: 'waitlist_offer', client_id: client.id }).firstOrFail()
      const offerPath = new URL(String(mail.data.link)).pathname

      await open(portal.page, offerPath)
      await check(browser, portal, 'portal-waitlist-offer')
      await Promise.all([portal.page.waitForLoadState('load'), portal.page.click('#take-this-time')])
      await portal.page.waitForSelector('#offer-outcome')
      assert.include(await portal.page.textContent('main'), 'This time is yours')
      await check(browser, portal, 'portal-waitlist-taken')
      await Promise.all([portal.page.waitForURL(/\/portal\/appointments\/\d+$/), portal.page.click('a:has-text("See the appointment")')])
      await check(browser, portal, 'portal-earlier-appointment')
      assert.equal((await Appointment.findOrFail(later.id)).status, 'cancelled')

      const staff = await newVisitor(browser, javaScript)
      await signInStaff(staff, await createStaff('support_staff'))
      await open(staff.page, `/appointments/waitlist?provider=${provider.id}`)
      await check(browser, staff, 'staff-waitlist')

      const found = [...portal.found, ...staff.found]
      assert.deepEqual(found, [], found.join('\n'))
    }).timeout(120_000)
  })
}
