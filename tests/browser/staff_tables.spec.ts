/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Page } from 'playwright'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import env from '#start/env'
import ResourceCategory from '#models/resource_category'
import { sendInvitation } from '#actions/invitations/send_invitation'
import { SYSTEM_ACTOR } from '#support/actor'
import {
  PASSWORD,
  createAppointment,
  createClient,
  createEmergencyContact,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'
import { nextTotpCode } from '#tests/helpers/two_factor'
import { inspectPage, watchPage } from './support/pages.js'

/*
| Staff tables at 1280 and 320 px (walkthrough #14 item 9): no word of a cell
| is broken over two lines ("Acti/ve", "Schedule/d", emails, IP addresses),
| no cell's content spills out of it, each table sits in a labelled,
| focusable region that scrolls sideways when the table is wider than the
| screen, and the page itself never scrolls sideways at 320 px. Each page also
| passes the suite's usual checks (axe, the HTML checker, CSP).
*/
const baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`

/** What is wrong with the tables of the page now shown, at the viewport width now set. */
function tableProblems(page: Page) {
  return page.evaluate(() => {
    const found: string[] = []
    const short = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 60)
    const tables = [...document.querySelectorAll('main table')]
    if (!tables.length) found.push('no table on the page')
    for (const table of tables) {
      const name = short(table.querySelector('caption')?.textContent ?? table.querySelector('th')?.textContent ?? '')
      const region = table.parentElement
      if (!region?.matches('.table-scroll[role="region"][tabindex="0"][aria-labelledby]')) {
        found.push(`table "${name}" is not directly in a focusable, labelled scrolling region`)
      } else {
        const ids = region.getAttribute('aria-labelledby')!.split(/\s+/)
        const label = ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim()
        if (!label) found.push(`the region of table "${name}" has no label (aria-labelledby="${ids.join(' ')}")`)
        if (getComputedStyle(region).overflowX !== 'auto') found.push(`the region of table "${name}" does not scroll sideways`)
      }
      for (const cell of table.querySelectorAll('th, td, caption')) {
        if (cell.scrollWidth > cell.clientWidth + 1) found.push(`"${short(cell.textContent)}" spills out of its cell`)
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
          for (const word of node.data.matchAll(/\S+/g)) {
            // A line may end after a hyphen ("Quincy-/Adams"), but never inside an email, a phone
            // number, an IP address or a time (a word of digits and signs only), nor elsewhere in a word.
            const whole = word[0].includes('@') || /^[\d\W]+$/.test(word[0])
            let start = word.index
            for (const piece of whole ? [word[0]] : word[0].split(/(?<=-)/)) {
              const range = document.createRange()
              range.setStart(node, start)
              range.setEnd(node, start + piece.length)
              start += piece.length
              const lines = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)))
              if (lines.size > 1) found.push(`"${word[0]}" is broken over ${lines.size} lines (in "${short(cell.textContent)}")`)
            }
          }
        }
      }
    }
    if (document.documentElement.scrollWidth > window.innerWidth) found.push('the page scrolls sideways')
    return found
  })
}

test.group('Staff tables', () => {
  test('no word broken in any staff table at 1280 and 320 px; narrow tables scroll in a labelled region', async ({ browser, assert }) => {
    const ceo = await createStaff('ceo', { name: 'Maya Okafor' })
    const clinician = await createStaff('clinician', { name: 'Dr. Rowan Hale' })
    const client = await createClient({
      firstName: 'Alexandra',
      lastName: 'Montgomery',
      email: `alexandra.montgomery.${Date.now()}@riverbend-counseling.example`,
      phone: '+12175550123',
      primaryClinicianId: clinician.id,
    })
    await createAppointment(client, clinician, { startsAt: DateTime.now(), location: 'Suite 210, second floor' })
    await createAppointment(client, clinician, { startsAt: DateTime.now().minus({ days: 8 }), status: 'completed' })
    await createEmergencyContact(client, { name: 'Jordan Montgomery', email: `jordan.montgomery.${Date.now()}@example.org` })
    await createPortalAccount(client, 'self', { displayName: 'Alexandra' })
    const category = await ResourceCategory.create({ name: 'Coping skills', position: await ResourceCategory.nextPosition() })
    const { resource } = await createSharedResource([client], { title: 'Sleep hygiene worksheet', categoryId: category.id })
    const invited = await createClient({ firstName: 'Bartholomew', lastName: 'Quincy-Adams' })
    const invitationEmail = `bartholomew.quincy.${Date.now()}@riverbend-counseling.example`
    await sendInvitation({ clientId: invited.id, email: invitationEmail, relationship: 'self' }, SYSTEM_ACTOR)
    await db
      .connection('machinery')
      .from('mail_messages')
      .where('recipient', invitationEmail)
      .update({ status: 'failed', attempts: 8, last_error: '550 5.1.1 Mailbox unavailable at mx.riverbend-counseling.example' })

    const context = await browser.newContext({ baseURL: baseUrl })
    const page = await context.newPage()
    const pageProblems = await watchPage(page)
    await page.goto('/login')
    await page.fill('#field-email', ceo.email)
    await page.fill('#field-password', PASSWORD)
    await Promise.all([page.waitForURL('**/login/two-factor'), page.click('button:has-text("Sign in")')])
    await page.fill('#field-code', await nextTotpCode(ceo))
    await Promise.all([page.waitForURL('**/dashboard'), page.click('button:has-text("Continue")')])

    const found: string[] = []
    for (const path of [
      '/dashboard',
      '/clients',
      `/clients/${client.id}`,
      '/appointments',
      '/appointments/calendar?provider=all',
      '/appointments/types',
      '/resource-library',
      `/resource-library/${resource.id}`,
      '/resource-library/categories',
      '/portal-settings',
      '/audit-log',
      '/staff',
    ]) {
      const response = await page.goto(path)
      assert.equal(response?.status(), 200, path)
      // axe, the HTML checker, CSP, console (the regions must keep every page clean).
      const checks = await inspectPage(page, pageProblems, { html: await response!.text(), name: `staff-tables${path.replaceAll('/', '-')}`, screenshots: false })
      found.push(...checks.map((problem) => `${path}: ${problem}`))
      for (const width of [1280, 320]) {
        await page.setViewportSize({ width, height: 900 })
        found.push(...(await tableProblems(page)).map((problem) => `${path} at ${width} px: ${problem}`))
      }
    }
    assert.deepEqual(found, [], found.join('\n'))
    await context.close()
  }).timeout(120_000)
})
