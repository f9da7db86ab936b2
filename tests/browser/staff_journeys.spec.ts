/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { PASSWORD, createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { nextTotpCode } from '#tests/helpers/two_factor'
import type StaffUser from '#models/staff_user'
import { inspectPage, open, watchPage, type PageProblems } from './support/pages.js'

const baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`

interface Visitor {
  page: Page
  problems: PageProblems
  found: string[]
}

async function newVisitor(browser: Browser): Promise<Visitor> {
  const context = await browser.newContext({ baseURL: baseUrl, acceptDownloads: true })
  const page = await context.newPage()
  return { page, problems: await watchPage(page), found: [] }
}

/** Runs every check on the page now shown (HTML as the server sends it for this URL). */
async function check(visitor: Visitor, name: string, html?: string) {
  const source = html ?? (await (await visitor.page.request.get(visitor.page.url())).text())
  const problems = await inspectPage(visitor.page, visitor.problems, { html: source, name })
  visitor.found.push(...problems.map((problem) => `${name}: ${problem}`))
}

async function signInStaff(visitor: Visitor, staff: StaffUser) {
  await open(visitor.page, '/login')
  await visitor.page.fill('#field-email', staff.email)
  await visitor.page.fill('#field-password', PASSWORD)
  await Promise.all([visitor.page.waitForURL(/\/(dashboard|login\/two-factor)$/), visitor.page.click('button:has-text("Sign in")')])
  if (visitor.page.url().endsWith('/login/two-factor')) {
    await check(visitor, 'staff-login-two-factor')
    await visitor.page.fill('#field-code', await nextTotpCode(staff))
    await Promise.all([visitor.page.waitForURL('**/dashboard'), visitor.page.click('button:has-text("Continue")')])
  }
}

test.group('Staff journeys', () => {
  test('support staff uploads a resource and shares it; the client sees it in the portal', async ({ browser, assert }) => {
    const support = await createStaff('support_staff')
    const client = await createClient({ firstName: `Quinn${Date.now()}`, lastName: 'Marlow' })
    const account = await createPortalAccount(client)
    const title = `Sleep diary ${Math.random().toString(36).slice(2, 7)}`

    const staff = await newVisitor(browser)
    await signInStaff(staff, support)
    await check(staff, 'staff-dashboard')

    await open(staff.page, '/resource-library')
    await check(staff, 'staff-resource-library')
    await open(staff.page, '/resource-library/new')
    await check(staff, 'staff-resource-upload')
    await staff.page.fill('#field-title', title)
    await staff.page.setInputFiles('#field-file', app.makePath('database/seeders/files/sleep-hygiene.txt'))
    await Promise.all([staff.page.waitForURL(/\/resource-library\/\d+/), staff.page.click('button:has-text("Upload")')])
    await check(staff, 'staff-resource')

    await staff.page.fill('#share-search', client.firstName)
    await staff.page.click('button:has-text("Find clients")')
    await staff.page.waitForSelector(`#share-client-${client.id}`)
    assert.notInclude(staff.page.url(), client.firstName, 'the name stays out of the URL')
    await staff.page.check(`#share-client-${client.id}`)
    await Promise.all([staff.page.waitForLoadState('load'), staff.page.click('button:has-text("Share with the ticked clients")')])
    await staff.page.waitForSelector(`text=${client.lastName}`)
    await check(staff, 'staff-resource-shared')

    const portal = await newVisitor(browser)
    await open(portal.page, '/portal/login')
    await portal.page.fill('#field-email', account.email)
    await portal.page.fill('#field-password', PASSWORD)
    await Promise.all([portal.page.waitForURL('**/portal'), portal.page.click('button:has-text("Sign in")')])
    await open(portal.page, '/portal/resources')
    assert.include(await portal.page.textContent('main'), title)

    assert.deepEqual([...staff.found, ...portal.found], [], [...staff.found, ...portal.found].join('\n'))
  }).timeout(120_000)

  test('the staff pages of each area pass the checks', async ({ browser, assert }) => {
    const ceo = await createStaff('ceo')
    const clinician = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: clinician.id })
    // Upcoming and scheduled: its page carries the "Offer an earlier time" form (issue #22).
    const appointment = await createAppointment(client, clinician)
    const visitor = await newVisitor(browser)
    await signInStaff(visitor, ceo)
    for (const path of ['/dashboard', '/clients', `/clients/${client.id}`, '/clients/new', `/clients/${client.id}/edit`, `/appointments/${appointment.id}`, '/resource-library/categories', '/audit-log', '/staff', '/staff/two-factor', '/forgot-password']) {
      const response = await visitor.page.goto(path)
      assert.equal(response?.status(), 200, path)
      await check(visitor, `staff${path.replaceAll('/', '-')}`, await response!.text())
    }
    // Two-factor enrolment (QR code as inline SVG): optional for a clinician, so it stays open to check.
    const enrolling = await newVisitor(browser)
    await signInStaff(enrolling, clinician)
    const setup = await enrolling.page.goto('/staff/two-factor/setup')
    assert.equal(setup?.status(), 200)
    await check(enrolling, 'staff-two-factor-setup', await setup!.text())
    visitor.found.push(...enrolling.found)
    assert.deepEqual(visitor.found, [], visitor.found.join('\n'))
  }).timeout(120_000)
})
