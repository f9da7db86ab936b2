/// <reference lib="dom" />
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import db from '@adonisjs/lucid/services/db'
import Appointment from '#models/appointment'
import WaitlistEntry from '#models/waitlist_entry'
import { runWaitlistPass } from '#actions/waitlist/send_waitlist_offers'
import { cancelAppointment } from '#actions/appointments/cancel_appointment'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { open } from './support/pages.js'
import { check, newVisitor, signInPortal, signInStaff } from './support/visitor.js'

/*
| The waitlist journey (issue #22): a client joins from an appointment, a
| cancellation frees an earlier time, the worker's pass offers it, the client
| opens the emailed link and takes the time, and sees the earlier
| appointment; staff see the waitlist. JavaScript on and off, every page
| through axe and the HTML checker.
*/

for (const javaScript of [true, false]) {
  test.group(`Waitlist in the browser (JavaScript ${javaScript ? 'on' : 'off'})`, () => {
    test('join, get an offer, take the earlier time, see it', async ({ browser, assert }) => {
      const provider = await createStaff('clinician')
      const client = await createClient({ firstName: `Quinn${Date.now() % 100000}`, lastName: 'Ashby' })
      const base = DateTime.now().setZone(practice.timeZone).plus({ days: 300 + (Date.now() % 200) }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 })
      const later = await createAppointment(client, provider, { startsAt: base.plus({ days: 14 }) })
      const account = await createPortalAccount(client)

      const portal = await newVisitor(browser, { javaScript })
      await signInPortal(portal, account.email)
      await open(portal.page, `/portal/appointments/${later.id}`)
      await Promise.all([portal.page.waitForURL(`**/portal/appointments/${later.id}/waitlist`), portal.page.click('#waitlist-link')])
      await check(portal, 'portal-waitlist-form')
      await portal.page.check('#field-days-' + ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][base.weekday - 1])
      await Promise.all([portal.page.waitForLoadState('load'), portal.page.click('button:has-text("Offer me an earlier time")')])
      await portal.page.waitForSelector('#waitlist-entry')
      await check(portal, 'portal-waitlist-entry')
      assert.equal((await WaitlistEntry.query().where('client_id', client.id).firstOrFail()).status, 'waiting')

      // Another client's session a week earlier is cancelled; the worker's pass offers it.
      const freed = await createAppointment(await createClient(), provider, { startsAt: base.plus({ days: 7 }) })
      const admin = await createStaff('admin')
      await cancelAppointment({ appointmentId: freed.id, notLate: true }, { kind: 'staff', id: admin.id, ip: null, userAgent: null })
      await runWaitlistPass()
      const mail = await db.connection('machinery').from('mail_messages').where({ template: 'waitlist_offer', client_id: client.id }).firstOrFail()
      const offerPath = new URL(String(mail.data.link)).pathname

      await open(portal.page, offerPath)
      await check(portal, 'portal-waitlist-offer')
      await Promise.all([portal.page.waitForLoadState('load'), portal.page.click('#take-this-time')])
      await portal.page.waitForSelector('#offer-outcome')
      assert.include(await portal.page.textContent('main'), 'This time is yours')
      await check(portal, 'portal-waitlist-taken')
      await Promise.all([portal.page.waitForURL(/\/portal\/appointments\/\d+$/), portal.page.click('a:has-text("See the appointment")')])
      await check(portal, 'portal-earlier-appointment')
      assert.equal((await Appointment.findOrFail(later.id)).status, 'cancelled')

      const staff = await newVisitor(browser, { javaScript })
      await signInStaff(staff, await createStaff('support_staff'))
      await open(staff.page, `/appointments/waitlist?provider=${provider.id}`)
      await check(staff, 'staff-waitlist')

      const found = [...portal.found, ...staff.found]
      assert.deepEqual(found, [], found.join('\n'))
    }).timeout(120_000)
  })
}
