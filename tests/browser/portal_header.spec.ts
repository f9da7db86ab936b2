/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright'
import { DateTime } from 'luxon'
import env from '#start/env'
import practice from '#config/practice'
import {
  PASSWORD,
  createAppointment,
  createClient,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'

/*
| The portal header at phone and desktop widths (walkthrough #14 item 7): at
| 320 px at most 120 px tall before any content, from 768 px one row (brand,
| nav and Sign out side by side), the labelled nav always reachable, with
| JavaScript on and off. Measured with the demo practice's real-length name.
*/
const baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`
const PORTAL_PAGES = ['/portal', '/portal/appointments', '/portal/resources', '/portal/account']
const AREAS = ['Home', 'Appointments', 'Resources', 'Account']

interface Box {
  x: number
  y: number
  width: number
  height: number
}

async function boxOf(page: Page, selector: string): Promise<Box> {
  const box = await page.locator(selector).boundingBox()
  if (!box) throw new Error(`${selector} is not rendered`)
  return box
}

async function signedInPage(browser: Browser, email: string, javaScript: boolean) {
  const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: javaScript })
  const page = await context.newPage()
  await page.goto('/portal/login')
  await page.fill('#field-email', email)
  await page.fill('#field-password', PASSWORD)
  await Promise.all([page.waitForURL('**/portal'), page.click('button:has-text("Sign in")')])
  return page
}

/** The header's problems on the page now shown, at the viewport width now set. */
async function headerProblems(page: Page, width: number, javaScript: boolean) {
  const found: string[] = []
  const header = await boxOf(page, 'body > header')
  const nav = page.locator('body > header nav[aria-label="Portal"]')
  if ((await nav.count()) !== 1) return ['no nav labelled "Portal" in the header']
  const navBox = (await nav.boundingBox())!
  const signOut = await boxOf(page, 'body > header button:has-text("Sign out")')
  const brand = await boxOf(page, 'body > header .brand')

  const links = nav.locator('a')
  const labels = (await links.allTextContents()).map((text) => text.trim())
  if (labels.join('|') !== AREAS.join('|')) found.push(`nav links are ${labels.join(', ')}`)

  if (width < 768 && header.height > 120) found.push(`header is ${Math.round(header.height)} px tall (at most 120)`)
  if (width >= 768) {
    const middle = (box: Box) => box.y + box.height / 2
    if (Math.abs(middle(signOut) - middle(navBox)) > 4) found.push(`Sign out (middle at ${Math.round(middle(signOut))}) is not on the nav's row (${Math.round(middle(navBox))})`)
    if (brand.y + brand.height > navBox.y + navBox.height + 1 || brand.y < header.y) found.push('the brand is not on the nav\'s row')
    if (header.height > 90) found.push(`header is ${Math.round(header.height)} px tall (one row is at most 90)`)
    const tops = new Set<number>()
    for (const box of await Promise.all((await links.all()).map((link) => link.boundingBox()))) tops.add(Math.round(box!.y))
    if (tops.size !== 1) found.push(`the nav links sit on ${tops.size} rows`)
  }
  // Every part inside the viewport: the nav may scroll sideways, each link comes into view when focused.
  for (const [name, box] of [['brand', brand], ['Sign out', signOut], ['nav', navBox]] as const) {
    if (box.x < 0 || box.x + box.width > width + 0.5) found.push(`${name} sticks out of the ${width} px viewport`)
  }
  if (signOut.height < 24 || signOut.width < 24) found.push('Sign out is smaller than 24 × 24 px')
  // Tabbing from the brand, as a keyboard user moves through the header: each link comes into
  // the nav's view (wholly with JavaScript; browsers leave a partly visible one where it is).
  await page.focus('body > header .brand')
  for (const link of await links.all()) {
    const label = (await link.textContent())!.trim()
    await page.keyboard.press('Tab')
    if (!(await link.evaluate((element) => element === document.activeElement))) found.push(`Tab does not reach the "${label}" link next`)
    const box = (await link.boundingBox())!
    const shown = Math.min(box.x + box.width, navBox.x + navBox.width) - Math.max(box.x, navBox.x)
    if (javaScript ? shown < box.width - 0.5 : shown < 24) found.push(`the focused "${label}" link is ${javaScript ? 'not wholly' : 'hardly'} in view`)
    if (box.height < 24) found.push(`the "${label}" link is less than 24 px tall`)
  }
  if (await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)) found.push('the page scrolls sideways')
  return found
}

test.group('Portal header', (group) => {
  let practiceName = practice.name
  group.setup(() => {
    practiceName = practice.name
    practice.name = 'Riverbend Counseling'
  })
  group.teardown(() => {
    practice.name = practiceName
  })

  for (const javaScript of [true, false]) {
    test(`compact at 320 px, one row from 768 px, on every portal page (JavaScript ${javaScript ? 'on' : 'off'})`, async ({ browser, assert }) => {
      const provider = await createStaff('clinician')
      const client = await createClient({ firstName: 'Robin' })
      await createAppointment(client, provider)
      await createSharedResource([client])
      const account = await createPortalAccount(client, 'self', { displayName: 'Robin' })
      const page = await signedInPage(browser, account.email, javaScript)

      const found: string[] = []
      for (const path of PORTAL_PAGES) {
        await page.goto(path)
        for (const width of [320, 768, 1280]) {
          await page.setViewportSize({ width, height: 800 })
          found.push(...(await headerProblems(page, width, javaScript)).map((problem) => `${path} at ${width} px: ${problem}`))
        }
      }
      assert.deepEqual(found, [], found.join('\n'))
      await page.context().close()
    }).timeout(90_000)
  }

  test('a guardian still sees whose information is on screen, right under the header', async ({ browser, assert }) => {
    const javaScript = false
    const first = await createClient({ firstName: 'Sam', dateOfBirth: DateTime.now().minus({ years: 10 }) })
    const second = await createClient({ firstName: 'Lily', dateOfBirth: DateTime.now().minus({ years: 7 }) })
    const guardian = await createPortalAccount([first, second], 'parent', { displayName: 'Jordan' })
    const page = await signedInPage(browser, guardian.email, javaScript)

    const found: string[] = []
    for (const path of PORTAL_PAGES) {
      await page.goto(path)
      for (const width of [320, 1280]) {
        await page.setViewportSize({ width, height: 640 })
        found.push(...(await headerProblems(page, width, javaScript)).map((problem) => `${path} at ${width} px: ${problem}`))
        const header = await boxOf(page, 'body > header')
        const viewing = await boxOf(page, '.viewing')
        assert.match((await page.textContent('.viewing'))!, /Viewing:\s+(Sam|Lily)\b/, path)
        if (viewing.y + viewing.height > 640) found.push(`${path} at ${width} px: "Viewing:" is below the first screen`)
        if (viewing.y < header.y + header.height) found.push(`${path} at ${width} px: "Viewing:" is under the header`)
      }
    }
    assert.deepEqual(found, [], found.join('\n'))
    await page.context().close()
  }).timeout(90_000)
})
