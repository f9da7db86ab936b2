/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser, BrowserContext, Page } from 'playwright'
import router from '@adonisjs/core/services/router'
import { DateTime } from 'luxon'
import env from '#start/env'
import {
  PASSWORD,
  createAppointment,
  createClient,
  createEmergencyContact,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#tests/helpers/factories'
import { inspectPage, open, watchPage, type PageProblems } from './support/pages.js'

const baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`

/** Portal GET routes the journeys opened, by route pattern (checked against the router at the end). */
const visitedPatterns = new Set<string>()

function remember(url: string) {
  const path = new URL(url, baseUrl).pathname
  const match = router.match(path, 'GET', false)
  if (match) visitedPatterns.add(match.route.pattern)
}

interface Visitor {
  browser: Browser
  context: BrowserContext
  page: Page
  problems: PageProblems
  found: string[]
  javaScript: boolean
}

async function newVisitor(browser: Browser, javaScript: boolean): Promise<Visitor> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, acceptDownloads: true, baseURL: baseUrl })
  const page = await context.newPage()
  const problems = await watchPage(page)
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) remember(frame.url())
  })
  return { browser, context, page, problems, found: [], javaScript }
}

/** Opens a URL and runs every check on it. */
async function visit(visitor: Visitor, url: string, name: string) {
  const html = await open(visitor.page, url)
  await check(visitor, html, name)
}

/**
 * Runs the page checks. axe needs JavaScript (its timers never fire in a
 * page with scripts off), so a JS-off visitor's page is inspected in a twin
 * JS-enabled context with the same cookies, at the same URL.
 */
async function check(visitor: Visitor, html: string, name: string) {
  const label = `${name}-${visitor.javaScript ? 'js' : 'nojs'}`
  let page = visitor.page
  let problems = visitor.problems
  let twin: BrowserContext | null = null
  if (!visitor.javaScript) {
    twin = await visitor.browser.newContext({ storageState: await visitor.context.storageState(), baseURL: baseUrl })
    page = await twin.newPage()
    problems = await watchPage(page)
    await page.goto(visitor.page.url())
  }
  try {
    const found = await inspectPage(page, problems, { html, name: label })
    visitor.found.push(...found.map((problem) => `${label}: ${problem}`))
  } finally {
    await twin?.close()
  }
}

/** The page's HTML as the server sent it, for a page reached by a click or a form. */
async function currentHtml(page: Page) {
  const response = await page.request.get(page.url())
  return response.text()
}

async function signIn(visitor: Visitor, email: string) {
  await visit(visitor, '/portal/login', 'portal-login')
  await visitor.page.fill('#field-email', email)
  await visitor.page.fill('#field-password', PASSWORD)
  await Promise.all([visitor.page.waitForURL('**/portal'), visitor.page.click('button:has-text("Sign in")')])
}

async function clientWithEverything() {
  const provider = await createStaff('clinician', { name: 'Dr. Rowan Hale' })
  const marker = `Room-${Math.random().toString(36).slice(2, 8)}`
  const client = await createClient({ firstName: 'Robin', phone: '+12133734253' })
  await createAppointment(client, provider, { location: marker })
  for (let i = 1; i <= 3; i++) {
    await createAppointment(client, provider, {
      startsAt: DateTime.now().minus({ weeks: i }),
      status: i === 2 ? 'cancelled' : 'completed',
      location: marker,
    })
  }
  await createEmergencyContact(client, { name: 'Casey Hale' })
  const { resource } = await createSharedResource([client], { title: 'Breathing worksheet' })
  const account = await createPortalAccount(client, 'self', { displayName: 'Robin' })
  return { client, account, resource, marker }
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'with JavaScript off'

  test.group(`Client journeys ${mode}`, () => {
    test('a client signs in, reads appointments and resources, updates details, signs out', async ({ browser, assert }) => {
      const { account, resource, marker } = await clientWithEverything()
      const visitor = await newVisitor(browser, javaScript)
      const { page } = visitor

      await signIn(visitor, account.email)
      await check(visitor, await currentHtml(page), 'portal-home')

      await visit(visitor, '/portal/appointments', 'portal-appointments')
      assert.include(await page.textContent('#appointment-list'), marker)
      await page.click('a:has-text("Past")')
      await page.waitForSelector('#appointment-list h2:has-text("Past appointments")')
      assert.include(page.url(), 'tab=past')
      await check(visitor, await currentHtml(page), 'portal-appointments-past')

      await page.click('#appointment-list a >> nth=0')
      await page.waitForURL(/\/portal\/appointments\/\d+$/)
      await check(visitor, await currentHtml(page), 'portal-appointment')

      await visit(visitor, '/portal/appointments', 'portal-appointments')
      await page.click('#appointment-list a >> nth=0')
      await page.waitForURL(/\/portal\/appointments\/\d+$/)
      const [calendar] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Add to my calendar")')])
      assert.match(calendar.suggestedFilename(), /^appointment-.*\.ics$/)
      remember(calendar.url())

      await visit(visitor, '/portal/resources', 'portal-resources')
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(`a:has-text("Download"):has-text("${resource.title}")`)])
      assert.equal(file.suggestedFilename(), resource.originalName)
      remember(file.url())

      await visit(visitor, '/portal/account', 'portal-account')
      await page.fill('#contact-phone', '(213) 373-4254')
      await Promise.all([page.waitForURL('**/portal/account'), page.click('button:has-text("Save contact details")')])
      assert.equal(await page.inputValue('#contact-phone'), '(213) 373-4254')
      assert.include(await page.textContent('main'), 'saved')
      await check(visitor, await currentHtml(page), 'portal-account-saved')

      await page.fill('#add-contact-name', 'Jordan Hale')
      await page.fill('#add-contact-relationship', 'Sibling')
      await page.fill('#add-contact-phone', '(213) 373-4255')
      await Promise.all([page.waitForURL('**/portal/account'), page.click('button:has-text("Add contact")')])
      assert.include(await page.textContent('main'), 'Jordan Hale')

      await page.click('a:has-text("Edit")  >> nth=0')
      await page.waitForURL(/emergency-contacts\/\d+\/edit$/)
      await check(visitor, await currentHtml(page), 'portal-emergency-contact-edit')

      await visit(visitor, '/portal/switch', 'portal-switch')

      await Promise.all([page.waitForURL('**/portal/login'), page.click('button:has-text("Sign out")')])
      await page.goBack()
      await page.waitForLoadState()
      const afterBack = await page.textContent('body')
      assert.notInclude(afterBack, marker)
      assert.notInclude(afterBack, 'Casey Hale')
      assert.include(page.url(), '/portal/login')

      assert.deepEqual(visitor.found, [])
    }).timeout(180_000)

    test('a guardian switches between two children', async ({ browser, assert }) => {
      const provider = await createStaff('clinician')
      const first = await createClient({ firstName: 'Ava', dateOfBirth: DateTime.now().minus({ years: 10 }) })
      const second = await createClient({ firstName: 'Ben', dateOfBirth: DateTime.now().minus({ years: 7 }) })
      await createAppointment(first, provider, { location: 'Ava-room' })
      await createAppointment(second, provider, { location: 'Ben-room' })
      const guardian = await createPortalAccount([first, second], 'parent', { displayName: 'Sam' })
      const visitor = await newVisitor(browser, javaScript)
      const { page } = visitor

      await signIn(visitor, guardian.email)
      assert.include(await page.textContent('.viewing'), 'Ava')
      await page.click('a:has-text("Switch person")')
      await page.waitForURL('**/portal/switch')
      await check(visitor, await currentHtml(page), 'portal-switch-guardian')
      await Promise.all([page.waitForURL('**/portal'), page.click('button:has-text("View Ben")')])
      assert.include(await page.textContent('.viewing'), 'Ben')
      await visit(visitor, '/portal/appointments', 'portal-appointments-guardian')
      const list = await page.textContent('#appointment-list')
      assert.include(list, 'Ben-room')
      assert.notInclude(list, 'Ava-room')

      assert.deepEqual(visitor.found, [])
    }).timeout(120_000)
  })
}

test.group('Portal access from the browser', () => {
  test('a signed-in staff user who opens /portal lands on the dashboard', async ({ browser, assert }) => {
    const staff = await createStaff('support_staff')
    const visitor = await newVisitor(browser, true)
    const { page } = visitor
    await visit(visitor, '/login', 'staff-login')
    await page.fill('#field-email', staff.email)
    await page.fill('#field-password', PASSWORD)
    await Promise.all([page.waitForURL('**/dashboard'), page.click('button:has-text("Sign in")')])
    await check(visitor, await currentHtml(page), 'staff-dashboard')
    await page.goto('/portal')
    assert.match(page.url(), /\/dashboard$/)
    assert.deepEqual(visitor.found, [])
  }).timeout(60_000)

  test('keyboard only: sign in and reach every portal area, focus always visible', async ({ browser, assert }) => {
    const { account } = await clientWithEverything()
    const visitor = await newVisitor(browser, true)
    const { page } = visitor
    await page.goto('/portal/login')

    /** Tabs until the focused element matches (and has the text), checking that focus is visible on the way. */
    const tabTo = async (selector: string, text?: string) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab')
        const state = await page.evaluate(
          ([wanted, label]) => {
            const active = document.activeElement as HTMLElement | null
            if (!active || active === document.body) return { matches: false, visible: true }
            const style = getComputedStyle(active)
            return {
              matches: active.matches(wanted) && (!label || active.textContent?.trim() === label),
              visible: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
            }
          },
          [selector, text ?? ''] as const
        )
        assert.isTrue(state.visible, `focus is visible while tabbing to ${selector}`)
        if (state.matches) return
      }
      throw new Error(`Could not reach ${selector} ${text ?? ''} with the Tab key`)
    }

    await tabTo('#field-email')
    await page.keyboard.type(account.email)
    await tabTo('#field-password')
    await page.keyboard.type(PASSWORD)
    await Promise.all([page.waitForURL('**/portal'), page.keyboard.press('Enter')])

    for (const area of ['Appointments', 'Resources', 'Account', 'Home']) {
      await tabTo('nav[aria-label="Portal"] a', area)
      await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')])
      await page.waitForFunction((label) => document.title.startsWith(label === 'Account' ? 'Your account' : label), area)
    }
  }).timeout(90_000)

  test('the journeys opened every portal page (checked against the router)', async ({ assert }) => {
    const portalGetRoutes = router
      .toJSON()
      .root.filter((route) => route.pattern.startsWith('/portal') && route.methods.includes('GET'))
      .map((route) => route.pattern)
    const missing = portalGetRoutes.filter((pattern) => !visitedPatterns.has(pattern))
    assert.deepEqual(missing, [])
  })
})
