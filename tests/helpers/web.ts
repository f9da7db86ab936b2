import env from '#start/env'
import type { BrowserForm } from '#tests/helpers/forms'

/*
| A small browser stand-in for functional tests: real HTTP to the test
| server, a cookie jar, and CSRF tokens taken from the last page seen —
| exactly what a person's browser does, without a browser.
*/
export interface WebResponse {
  status: number
  headers: Headers
  text: string
  location: string | null
}

export class WebSession {
  cookies = new Map<string, string>()
  lastCsrfToken: string | null = null
  /** Sent with every request, as a browser's own settings are (e.g. Accept-Language). */
  headers: Record<string, string> = {}
  baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`

  get sessionId() {
    return this.cookies.get('careincite_session') ?? null
  }

  async get(path: string, headers: Record<string, string> = {}) {
    return this.request('GET', path, undefined, headers)
  }

  /** Posts a form. `_csrf` comes from the last page unless given (or `null` to omit it). */
  async post(
    path: string,
    form: Record<string, string | string[] | null> = {},
    headers: Record<string, string> = {}
  ) {
    const body = new URLSearchParams()
    const withToken = '_csrf' in form ? form : { _csrf: this.lastCsrfToken, ...form }
    for (const [key, value] of Object.entries(withToken)) {
      if (value === null || value === undefined) continue
      for (const item of Array.isArray(value) ? value : [value]) body.append(key, item)
    }
    return this.request('POST', path, body, {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    })
  }

  /** GETs the form page first so the CSRF token is fresh, then posts. */
  async submit(pagePath: string, actionPath: string, form: Record<string, string | string[]>) {
    await this.get(pagePath)
    return this.post(actionPath, form)
  }

  /** Submits a form read from a page (tests/helpers/forms.ts) exactly as a browser would send it. */
  async send(form: BrowserForm, headers: Record<string, string> = {}) {
    const body = new URLSearchParams(form.entries)
    if (form.method === 'GET') {
      const url = new URL(form.action, this.baseUrl)
      url.search = body.toString()
      return this.get(url.pathname + url.search, headers)
    }
    return this.request('POST', form.action, body, {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    })
  }

  /** A FormData body goes out as multipart/form-data (fetch sets the boundary). */
  async request(
    method: string,
    path: string,
    body?: URLSearchParams | FormData,
    headers: Record<string, string> = {}
  ) {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      body,
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), ...this.headers, ...headers },
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index)
      const value = pair.slice(index + 1)
      if (/expires=Thu, 01 Jan 1970/i.test(cookie) || /max-age=0/i.test(cookie) || value === '') {
        this.cookies.delete(name)
      } else {
        this.cookies.set(name, value)
      }
    }
    const text = await response.text()
    const token = text.match(/name='_csrf' value='([^']+)'/)
    if (token) this.lastCsrfToken = token[1]
    return {
      status: response.status,
      headers: response.headers,
      text,
      location: response.headers.get('location'),
    } satisfies WebResponse
  }

  /** Follows redirects like a browser would, returning the final page. */
  async follow(response: WebResponse, limit = 5): Promise<WebResponse> {
    let current = response
    for (let i = 0; i < limit && current.location; i++) current = await this.get(current.location)
    return current
  }

  private cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

/** The page with the CSRF token blanked, for byte-for-byte comparisons. */
export function withoutCsrf(html: string) {
  return html.replace(/value='[^']+'/g, "value=''")
}
