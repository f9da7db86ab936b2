/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import PracticeSetting from '#models/practice_setting'
import { PASSWORD, createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { inspectPage, open, watchPage } from './support/pages.js'
import { EXIT_PAGE_HEADING, startNeutralSite, type NeutralSite } from './support/neutral_site.js'

/*
| "Leave this site" in a real browser (issue #18 item 1). The practice's
| neutral address is a local https:// stand-in (support/neutral_site.ts), so
| the browser really follows the 303 to the configured address.
*/
const baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`
const DEFAULT_EXIT = 'https://www.weather.com/'

let neutral: NeutralSite
let exitUrl = ''

async function setExitUrl(url: string) {
  await db.from('practice_settings').where('id', 1).update({ quick_exit_url: url })
  PracticeSetting.forget()
}

async function newPage(browser: Browser, javaScript: boolean) {
  // The stand-in's certificate is self-signed.
  const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: javaScript, ignoreHTTPSErrors: true })
  return context.newPage()
}

/** A client with an appointment at a room no other page mentions, signed in through the form. */
async function signedIn(browser: Browser, javaScript: boolean) {
  const provider = await createStaff('clinician')
  const marker = `Room-${Math.random().toString(36).slice(2, 8)}`
  const client = await createClient()
  await createAppointment(client, provider, { location: marker })
  const account = await createPortalAccount(client, 'self')
  const page = await newPage(browser, javaScript)
  await page.goto('/portal/login')
  await page.fill('#field-email', account.email)
  await page.fill('#field-password', PASSWORD)
  await Promise.all([page.waitForURL('**/portal'), page.click('button:has-text("Sign in")')])
  await page.goto('/portal/appointments')
  if (!(await page.textContent('main'))?.includes(marker)) throw new Error('the appointment is not on the page')
  return { page, marker }
}

/** After leaving: no cookie of ours, and Back shows no portal page and nothing of the client. */
async function assertLeftForGood(page: Page, marker: string, assert: any) {
  assert.equal(page.url(), exitUrl)
  assert.deepEqual(await page.context().cookies(baseUrl), [], 'Clear-Site-Data removed the cookies')
  await page.goBack()
  await page.waitForLoadState()
  assert.notEqual(new URL(page.url()).pathname, '/portal/appointments', 'Back does not return to the page left')
  assert.notInclude((await page.textContent('body')) ?? '', marker)
  // Wherever Back went, the portal is signed out now.
  await page.goto('/portal/appointments')
  assert.equal(new URL(page.url()).pathname, '/portal/login')
}

test.group('Quick exit in the browser', (group) => {
  group.setup(async () => {
    neutral = await startNeutralSite()
    exitUrl = neutral.url
    await setExitUrl(exitUrl)
    return async () => {
      await setExitUrl(DEFAULT_EXIT)
      await neutral.stop()
    }
  })
  group.each.teardown(() => setExitUrl(exitUrl))

  test('pressing Escape twice leaves, and Back does not return to the portal page', async ({ browser, assert }) => {
    const { page, marker } = await signedIn(browser, true)
    await page.clock.install()
    const leaving = () => page.evaluate(() => document.documentElement.classList.contains('quick-exit-leaving'))

    // Two presses more than a second apart are not a double press.
    await page.keyboard.press('Escape')
    await page.clock.fastForward(1500)
    await page.keyboard.press('Escape')
    assert.isFalse(await leaving(), 'two slow presses do not leave')
    assert.equal(new URL(page.url()).pathname, '/portal/appointments')

    await Promise.all([page.waitForURL(exitUrl), page.keyboard.press('Escape')])
    await assertLeftForGood(page, marker, assert)
    await page.context().close()
  }).timeout(60_000)

  test('with JavaScript, clicking the link leaves the same way and replaces the page in history', async ({ browser, assert }) => {
    const { page, marker } = await signedIn(browser, true)
    const entries = await page.evaluate(() => history.length)
    await Promise.all([page.waitForURL(exitUrl), page.click('a:has-text("Leave this site")')])
    assert.equal(await page.evaluate(() => history.length), entries, 'the page was replaced, not added to')
    await assertLeftForGood(page, marker, assert)
    await page.context().close()
  }).timeout(60_000)

  test('with JavaScript off, the link still leaves and ends the session', async ({ browser, assert }) => {
    const { page, marker } = await signedIn(browser, false)
    await Promise.all([page.waitForURL(exitUrl), page.click('a:has-text("Leave this site")')])
    assert.deepEqual(await page.context().cookies(baseUrl), [])
    await page.goBack()
    await page.waitForLoadState()
    assert.notInclude((await page.textContent('body')) ?? '', marker, 'Back shows the sign-in page, not the appointments')
    assert.equal(new URL(page.url()).pathname, '/portal/login')
    await page.context().close()
  }).timeout(60_000)

  test('goes to the address set in Portal Settings, and only there', async ({ browser, assert }) => {
    await setExitUrl(`${exitUrl}search?q=recipes`)
    const page = await newPage(browser, true)
    await page.goto('/portal/login?next=https://evil.example/')
    await Promise.all([page.waitForURL(`${exitUrl}search?q=recipes`), page.click('a:has-text("Leave this site")')])
    assert.equal((await page.textContent('h1'))?.trim(), EXIT_PAGE_HEADING)
    await page.context().close()
  }).timeout(60_000)

  for (const path of ['/portal/login', '/portal/appointments']) {
    test(`keyboard: from the top of ${path}, Tab reaches the skip link, then "Leave this site"`, async ({ browser, assert }) => {
      const page = path === '/portal/login' ? await newPage(browser, true) : (await signedIn(browser, true)).page
      await page.goto(path)
      const focused = () =>
        page.evaluate(() => {
          const active = document.activeElement as HTMLElement
          const style = getComputedStyle(active)
          return { text: active.textContent?.trim(), visible: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' }
        })
      await page.keyboard.press('Tab')
      assert.deepEqual(await focused(), { text: 'Skip to main content', visible: true })
      await page.keyboard.press('Tab')
      assert.deepEqual(await focused(), { text: 'Leave this site', visible: true })
      await Promise.all([page.waitForURL(exitUrl), page.keyboard.press('Enter')])
      await page.context().close()
    }).timeout(60_000)
  }

  test('the help page and the bar pass axe and the HTML checker, at 320 px without scrolling sideways, in both languages', async ({
    browser,
    assert,
  }) => {
    const found: string[] = []
    for (const javaScript of [true, false]) {
      const page = await newPage(browser, javaScript)
      const problems = await watchPage(page)
      for (const [language, heading] of [['en', 'Leaving this site quickly'], ['es', 'Salir de este sitio rápidamente']]) {
        await page.context().setExtraHTTPHeaders({ 'accept-language': language })
        await page.goto('/portal/login')
        // The help page is a link in the footer.
        await Promise.all([page.waitForURL('**/portal/safety'), page.click('footer a[href="/portal/safety"]')])
        assert.equal((await page.textContent('h1'))?.trim(), heading)
        await page.setViewportSize({ width: 320, height: 640 })
        if (await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)) {
          found.push(`${language}: scrolls sideways at 320 px (JavaScript ${javaScript ? 'on' : 'off'})`)
        }
        // axe needs JavaScript (its timers never fire in a page with scripts off): the full checks run with it on.
        if (javaScript) {
          const html = await open(page, '/portal/safety')
          const name = `portal-safety-${language}`
          found.push(...(await inspectPage(page, problems, { html, name })).map((problem) => `${name}: ${problem}`))
        }
      }
      await page.context().close()
    }
    assert.deepEqual(found, [], found.join('\n'))
  }).timeout(90_000)
})
