/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright'
import { DateTime } from 'luxon'
import env from '#start/env'
import ClientUserLink from '#models/client_user_link'
import type StaffUser from '#models/staff_user'
import { PASSWORD, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { nextTotpCode } from '#tests/helpers/two_factor'
import { inspectPage, open, watchPage, type PageProblems } from './support/pages.js'

/*
| Family access levels in a real browser (issue #20, DESIGN §14), with
| JavaScript on and off: an adult client's Account with an authorized
| caregiver ("People who can see your information") changing that
| caregiver's level, and the staff client record of a teen with a parent on
| `appointments`, whose level form asks for a reason before widening. Every
| page passes axe, the HTML checker, the CSP and 320 px checks
| (support/pages.ts).
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

/** The page's HTML as the server sent it, for a page reached by a click or a form. */
async function currentHtml(page: Page) {
  return (await page.request.get(page.url())).text()
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

test.group('Family access levels in the browser', () => {
  for (const javaScript of [true, false]) {
    const mode = `JavaScript ${javaScript ? 'on' : 'off'}`

    test(`an adult client sees who can see their information and narrows a caregiver's level, ${mode}`, async ({ browser, assert }) => {
      const adult = await createClient({ dateOfBirth: DateTime.now().minus({ years: 38, days: 9 }) })
      const me = await createPortalAccount(adult, 'self')
      const caregiver = await createPortalAccount(adult, 'authorized_caregiver', { displayName: 'Morgan Caregiver' })
      const link = await ClientUserLink.query().where({ clientUserId: caregiver.id, clientId: adult.id }).firstOrFail()
      const visitor = await newVisitor(browser, javaScript)
      await signInPortal(visitor, me.email)

      const html = await open(visitor.page, '/portal/account')
      const section = visitor.page.locator('#caregivers')
      assert.include(await section.locator('h2').innerText(), 'People who can see your information')
      assert.include(await section.innerText(), 'Morgan Caregiver (authorized caregiver): sees everything and may update contact details')
      const select = visitor.page.getByLabel('What Morgan Caregiver may see')
      assert.equal(await select.inputValue(), 'full')
      await check(visitor, 'portal-account-caregivers', html)

      await select.selectOption('appointments')
      await Promise.all([
        visitor.page.waitForURL('**/portal/account#caregivers'),
        section.locator(`form[action="/portal/account/caregivers/${link.id}/level"] button[type="submit"]`).click(),
      ])
      assert.include(await visitor.page.locator('body').innerText(), 'Saved. The change works from their next page.')
      assert.include(await section.innerText(), 'Morgan Caregiver (authorized caregiver): sees appointments only')
      assert.equal(await visitor.page.getByLabel('What Morgan Caregiver may see').inputValue(), 'appointments')
      await link.refresh()
      assert.equal(link.accessLevel, 'appointments')
      await check(visitor, 'portal-account-caregivers-saved', await currentHtml(visitor.page))
      assert.deepEqual(visitor.found, [])
    }).timeout(120_000)

    test(`staff widen a teen's parent link on the client record, a reason required, ${mode}`, async ({ browser, assert }) => {
      const teen = await createClient({ dateOfBirth: DateTime.now().minus({ years: 14, days: 40 }), email: null })
      await createPortalAccount(teen, 'self')
      const parent = await createPortalAccount(teen, 'parent', { displayName: 'Pat Parent' }, { accessLevel: 'appointments' })
      const link = await ClientUserLink.query().where({ clientUserId: parent.id, clientId: teen.id }).firstOrFail()
      const visitor = await newVisitor(browser, javaScript)
      await signInStaff(visitor, await createStaff('admin'))

      const html = await open(visitor.page, `/clients/${teen.id}`)
      const form = visitor.page.locator(`form[action="/portal-settings/links/${link.id}/level"]`)
      const level = visitor.page.getByLabel('Level for Pat Parent')
      const reason = form.getByLabel('Reason for widening (kept with the link)')
      assert.equal(await level.inputValue(), 'appointments')
      assert.isTrue(await reason.isVisible())
      await check(visitor, 'staff-client-link-level', html)

      // Without a reason nothing changes, and the field says why.
      await level.selectOption('appointments_and_resources')
      await Promise.all([visitor.page.waitForURL(`**/clients/${teen.id}#portal-links`), form.locator('button[type="submit"]').click()])
      assert.include(await visitor.page.locator(`#link-${link.id}-reason-error`).innerText(), 'Please give a reason for widening a teen\'s parent access.')
      assert.equal(await visitor.page.locator(`#link-${link.id}-reason`).getAttribute('aria-invalid'), 'true')
      await link.refresh()
      assert.equal(link.accessLevel, 'appointments')
      await check(visitor, 'staff-client-link-level-reason-missing', await currentHtml(visitor.page))

      await visitor.page.getByLabel('Level for Pat Parent').selectOption('appointments_and_resources')
      await visitor.page.locator(`#link-${link.id}-reason`).fill('Agreed with Sam and his parent in session')
      await Promise.all([
        visitor.page.waitForURL(`**/clients/${teen.id}#portal-links`),
        visitor.page.locator(`form[action="/portal-settings/links/${link.id}/level"] button[type="submit"]`).click(),
      ])
      assert.include(await visitor.page.locator('body').innerText(), 'The access level is saved. It works from the account\'s next page.')
      assert.equal(await visitor.page.getByLabel('Level for Pat Parent').inputValue(), 'appointments_and_resources')
      await link.refresh()
      assert.equal(link.accessLevel, 'appointments_and_resources')
      assert.equal(link.levelReason, 'Agreed with Sam and his parent in session')
      await check(visitor, 'staff-client-link-level-saved', await currentHtml(visitor.page))
      assert.deepEqual(visitor.found, [])
    }).timeout(120_000)
  }
})
