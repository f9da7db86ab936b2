import type { Browser, BrowserContext, Page } from 'playwright'
import env from '#start/env'
import type StaffUser from '#models/staff_user'
import { PASSWORD } from '#database/factories/main'
import { nextTotpCode } from '#tests/helpers/two_factor'
import { inspectPage, open, watchPage, type PageProblems } from './pages.js'

/*
| One person in the browser for a browser test: their own context and page,
| the problems support/pages.ts records on it, and what the checks found.
| `check` runs every page check (axe, the HTML checker, CSP and console, 320 px)
| on the page now shown; axe needs JavaScript (its timers never fire in a page
| with scripts off), so a JS-off visitor's page is inspected in a twin
| JS-enabled context with the same cookies, at the same URL.
*/
export const baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`

export interface Visitor {
  browser: Browser
  context: BrowserContext
  page: Page
  problems: PageProblems
  /** Every problem the checks found, each labelled with the check's name. */
  found: string[]
  javaScript: boolean
  /** Whether `check` adds `-js` / `-nojs` to the names it is given (labels and screenshot files). */
  modeInNames: boolean
}

export interface VisitorOptions {
  /** Default true. */
  javaScript?: boolean
  /** Default true: `check(visitor, 'x')` is named `x-js` or `x-nojs`. */
  modeInNames?: boolean
  acceptDownloads?: boolean
  /** For a page that leaves for a local stand-in with a self-signed certificate (support/neutral_site.ts). */
  ignoreHTTPSErrors?: boolean
  /** Called with the new page before anything else (and before the first navigation), e.g. to listen to its requests. */
  onPage?: (page: Page) => void
}

export async function newVisitor(browser: Browser, options: VisitorOptions = {}): Promise<Visitor> {
  const javaScript = options.javaScript ?? true
  const context = await browser.newContext({
    baseURL: baseUrl,
    javaScriptEnabled: javaScript,
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
    ...(options.ignoreHTTPSErrors ? { ignoreHTTPSErrors: true } : {}),
  })
  const page = await context.newPage()
  options.onPage?.(page)
  const problems = await watchPage(page)
  return { browser, context, page, problems, found: [], javaScript, modeInNames: options.modeInNames ?? true }
}

/** The page's HTML as the server sends it for the current URL, for a page reached by a click or a form. */
export async function currentHtml(page: Page) {
  const response = await page.request.get(page.url())
  return response.text()
}

/**
 * Runs every check on the page now shown and adds what it finds to `visitor.found`.
 * `html` is the HTML the server sent (from the navigation); without it, the HTML
 * the server sends for the current URL now.
 */
export async function check(visitor: Visitor, name: string, html?: string) {
  const label = visitor.modeInNames ? `${name}-${visitor.javaScript ? 'js' : 'nojs'}` : name
  const source = html ?? (await currentHtml(visitor.page))
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
    const found = await inspectPage(page, problems, { html: source, name: label })
    visitor.found.push(...found.map((problem) => `${label}: ${problem}`))
  } finally {
    await twin?.close()
  }
}

/** Signs in to the portal from its sign-in page; lands on the portal home. */
export async function signInPortal(visitor: Visitor, email: string) {
  await open(visitor.page, '/portal/login')
  await visitor.page.fill('#field-email', email)
  await visitor.page.fill('#field-password', PASSWORD)
  await Promise.all([visitor.page.waitForURL('**/portal'), visitor.page.click('button:has-text("Sign in")')])
}

export interface StaffSignInOptions {
  /** Called on the two-factor page, before the code is entered (when the staff user has two-factor on). */
  onTwoFactorPage?: () => Promise<void>
}

/** Signs in as staff, with the authenticator code when the account asks for one; lands on the dashboard. */
export async function signInStaff(visitor: Visitor, staff: StaffUser, options: StaffSignInOptions = {}) {
  await open(visitor.page, '/login')
  await visitor.page.fill('#field-email', staff.email)
  await visitor.page.fill('#field-password', PASSWORD)
  await Promise.all([visitor.page.waitForURL(/\/(dashboard|login\/two-factor)$/), visitor.page.click('button:has-text("Sign in")')])
  if (visitor.page.url().endsWith('/login/two-factor')) {
    await options.onTwoFactorPage?.()
    await visitor.page.fill('#field-code', await nextTotpCode(staff))
    await Promise.all([visitor.page.waitForURL('**/dashboard'), visitor.page.click('button:has-text("Continue")')])
  }
}
