/// <reference lib="dom" />
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import ClientUserLink from '#models/client_user_link'
import { createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { open } from './support/pages.js'
import { check, newVisitor, signInPortal, signInStaff } from './support/visitor.js'

/*
| Family access levels in a real browser (issue #20, DESIGN §14), with
| JavaScript on and off: an adult client's Account with an authorized
| caregiver ("People who can see your information") changing that
| caregiver's level, and the staff client record of a teen with a parent on
| `appointments`, whose level form asks for a reason before widening. Every
| page passes axe, the HTML checker, the CSP and 320 px checks
| (support/pages.ts).
*/

test.group('Family access levels in the browser', () => {
  for (const javaScript of [true, false]) {
    const mode = `JavaScript ${javaScript ? 'on' : 'off'}`

    test(`an adult client sees who can see their information and narrows a caregiver's level, ${mode}`, async ({ browser, assert }) => {
      const adult = await createClient({ dateOfBirth: DateTime.now().minus({ years: 38, days: 9 }) })
      const me = await createPortalAccount(adult, 'self')
      const caregiver = await createPortalAccount(adult, 'authorized_caregiver', { displayName: 'Morgan Caregiver' })
      const link = await ClientUserLink.query().where({ clientUserId: caregiver.id, clientId: adult.id }).firstOrFail()
      const visitor = await newVisitor(browser, { javaScript })
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
      await check(visitor, 'portal-account-caregivers-saved')
      assert.deepEqual(visitor.found, [])
    }).timeout(120_000)

    test(`staff widen a teen's parent link on the client record, a reason required, ${mode}`, async ({ browser, assert }) => {
      const teen = await createClient({ dateOfBirth: DateTime.now().minus({ years: 14, days: 40 }), email: null })
      await createPortalAccount(teen, 'self')
      const parent = await createPortalAccount(teen, 'parent', { displayName: 'Pat Parent' }, { accessLevel: 'appointments' })
      const link = await ClientUserLink.query().where({ clientUserId: parent.id, clientId: teen.id }).firstOrFail()
      const visitor = await newVisitor(browser, { javaScript })
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
      await check(visitor, 'staff-client-link-level-reason-missing')

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
      await check(visitor, 'staff-client-link-level-saved')
      assert.deepEqual(visitor.found, [])
    }).timeout(120_000)
  }
})
