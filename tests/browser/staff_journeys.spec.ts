/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser } from 'playwright'
import app from '@adonisjs/core/services/app'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import type StaffUser from '#models/staff_user'
import { open } from './support/pages.js'
import { check, newVisitor as newSharedVisitor, signInPortal, signInStaff as signInStaffShared, type Visitor } from './support/visitor.js'

/** Every staff visitor here can download; page names carry no -js/-nojs (JavaScript is on throughout). */
function newVisitor(browser: Browser) {
  return newSharedVisitor(browser, { acceptDownloads: true, modeInNames: false })
}

/** Signs in; the two-factor page, when it comes, passes the checks too. */
function signInStaff(visitor: Visitor, staff: StaffUser) {
  return signInStaffShared(visitor, staff, { onTwoFactorPage: () => check(visitor, 'staff-login-two-factor') })
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
    await signInPortal(portal, account.email)
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
