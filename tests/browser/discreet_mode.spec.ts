/// <reference lib="dom" />
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import ClientPreference from '#models/client_preference'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { open } from './support/pages.js'
import { check, newVisitor, signInPortal, signInStaff } from './support/visitor.js'

/*
| Discreet mode and contact rules in a real browser (issue #18 items 2 and
| 3): the Account page with the discreet-mode control, used with JavaScript
| on and off, and the staff client record and appointment pages with the
| contact-rules banner, JavaScript on and off too. Every page passes axe, the HTML checker, the CSP and
| 320 px checks (support/pages.ts).
*/

test.group('Discreet mode and contact rules in the browser', () => {
  for (const javaScript of [true, false]) {
    test(`the client turns discreet mode on in Account, JavaScript ${javaScript ? 'on' : 'off'}; the tab title leaves out the practice`, async ({ browser, assert }) => {
      const client = await createClient()
      const account = await createPortalAccount(client, 'self')
      const visitor = await newVisitor(browser, { javaScript })
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
      const visitor = await newVisitor(browser, { javaScript })
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
