import type { Page, Response } from 'playwright'
import AxeBuilder from '@axe-core/playwright'
import { mkdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { checkHtml } from './vnu.js'

/*
| What every page a browser test visits must satisfy:
| - axe-core with the WCAG 2.0/2.1/2.2 A and AA tags: 0 violations, no rule disabled;
| - the Nu Html Checker: 0 errors on the HTML the server sent;
| - no Content-Security-Policy violation and no console error;
| - at 320 px wide, no horizontal scrolling.
| Screenshots at 320 and 1280 px go to tests/artifacts/screenshots (git-ignored).
*/
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']

export interface PageProblems {
  cspViolations: string[]
  consoleErrors: string[]
}

/** Starts recording CSP violations and console errors on a page (call before the first navigation). */
export async function watchPage(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { cspViolations: [], consoleErrors: [] }
  await page.exposeFunction('__reportCspViolation', (text: string) => problems.cspViolations.push(text))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      ;(window as any).__reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`)
    })
  })
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(`${page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.consoleErrors.push(`${page.url()}: ${error.message}`))
  return problems
}

export interface InspectOptions {
  /** The server's HTML for the page (from the navigation response). */
  html: string
  name: string
  screenshots?: boolean
}

/** Runs every check on the page as it is now; returns the list of problems (empty = fine). */
export async function inspectPage(page: Page, problems: PageProblems, options: InspectOptions) {
  const found: string[] = []

  const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze()
  for (const violation of axe.violations) {
    found.push(`axe ${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
  }
  for (const message of await checkHtml(options.html)) {
    found.push(`html line ${message.lastLine}: ${message.message}`)
  }
  found.push(...problems.cspViolations.map((text) => `csp: ${text}`))
  found.push(...problems.consoleErrors.map((text) => `console: ${text}`))
  problems.cspViolations.length = 0
  problems.consoleErrors.length = 0

  if (options.screenshots !== false) {
    const viewport = page.viewportSize()
    const dir = app.makePath('tests/artifacts/screenshots')
    await mkdir(dir, { recursive: true })
    for (const width of [320, 1280]) {
      await page.setViewportSize({ width, height: 900 })
      if (width === 320) {
        const overflows = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
        if (overflows) found.push('scrolls horizontally at 320 px')
      }
      await page.screenshot({ path: `${dir}/${options.name}-${width}.png`, fullPage: true })
    }
    if (viewport) await page.setViewportSize(viewport)
  }
  return found
}

/** Navigates and returns the HTML the server sent for the document. */
export async function open(page: Page, url: string) {
  const response = await page.goto(url)
  return documentHtml(response)
}

export async function documentHtml(response: Response | null) {
  if (!response) throw new Error('No response for the page')
  return response.text()
}
