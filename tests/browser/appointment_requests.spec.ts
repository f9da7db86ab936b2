/// <reference lib="dom" />
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import AppointmentRequest from '#models/appointment_request'
import { AppointmentTypeFactory, createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { open } from './support/pages.js'
import { check, newVisitor, signInPortal, signInStaff } from './support/visitor.js'

/*
| The request → book journey (issue #19): a client asks for an appointment in
| the portal, support staff book it from the inbox, the client sees it booked;
| with JavaScript on and off, every page through axe and the HTML checker.
*/

for (const javaScript of [true, false]) {
  test.group(`Appointment requests in the browser (JavaScript ${javaScript ? 'on' : 'off'})`, () => {
    test('a client asks, staff book it from the inbox, the client sees it booked', async ({ browser, assert }) => {
      const provider = await createStaff('clinician')
      const client = await createClient({ firstName: `Rowan${Date.now() % 100000}`, lastName: 'Ashby' })
      await createAppointment(client, provider)
      const account = await createPortalAccount(client)
      const type = await AppointmentTypeFactory.create()

      const portal = await newVisitor(browser, { javaScript })
      await signInPortal(portal, account.email)
      await open(portal.page, '/portal/appointments')
      await Promise.all([portal.page.waitForURL('**/portal/appointment-requests/new'), portal.page.click('a:has-text("Ask for an appointment")')])
      await check(portal, 'portal-request-form')

      // Sent without a day: the calm error, then the request.
      await Promise.all([portal.page.waitForLoadState('load'), portal.page.click('button:has-text("Send request")')])
      await portal.page.waitForSelector('text=Please choose at least one day.')
      await check(portal, 'portal-request-form-errors')
      await portal.page.check('#field-days-wed')
      await portal.page.check('#field-parts-morning')
      await portal.page.selectOption('#field-providerId', String(provider.id))
      await portal.page.check('#field-modality-video')
      await portal.page.fill('#field-note', 'Mornings before school drop-off work best')
      await Promise.all([portal.page.waitForURL('**/portal/appointment-requests'), portal.page.click('button:has-text("Send request")')])
      assert.include(await portal.page.textContent('main'), 'Your request is sent')
      await check(portal, 'portal-requests')
      const request = await AppointmentRequest.query().where('client_id', client.id).firstOrFail()

      const staff = await newVisitor(browser, { javaScript })
      await signInStaff(staff, await createStaff('support_staff'))
      await open(staff.page, '/appointments/requests')
      await check(staff, 'staff-request-inbox')
      assert.include(await staff.page.textContent(`#request-${request.id}`), 'Mornings before school drop-off work best')
      await Promise.all([staff.page.waitForURL(/\/appointments\/new\?/), staff.page.click(`#request-${request.id} a:has-text("Book")`)])
      await check(staff, 'staff-book-from-request')
      await staff.page.selectOption('#field-appointmentTypeId', String(type.id))
      const startsAt = DateTime.now().setZone(practice.timeZone).plus({ days: 450 + (Date.now() % 200) }).set({ hour: 9, minute: 0 })
      await staff.page.fill('#field-startsAt', startsAt.toFormat("yyyy-MM-dd'T'HH:mm"))
      await Promise.all([staff.page.waitForURL(/\/appointments\/\d+$/), staff.page.click('button:has-text("Book appointment")')])

      await request.refresh()
      assert.equal(request.status, 'booked')
      await open(portal.page, '/portal/appointment-requests')
      assert.include(await portal.page.textContent('main'), 'Booked')
      await check(portal, 'portal-requests-booked')

      const found = [...portal.found, ...staff.found]
      assert.deepEqual(found, [], found.join('\n'))
    }).timeout(120_000)
  })
}
