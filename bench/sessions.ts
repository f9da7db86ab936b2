/*
| Signing in, as a browser does: the form's CSRF token, the session cookie.
| Shared by the benchmark (bench/run.ts), the soak (bench/soak.ts) and the
| restore drill (bench/restore_drill.ts).
*/
import { BENCH_PASSWORD } from './load_data.js'

export const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 careincite-bench'

export class Jar {
  private cookies = new Map<string, string>()
  absorb(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

export async function request(base: string, path: string, jar: Jar, init: RequestInit = {}) {
  const response = await fetch(`${base}${path}`, {
    ...init,
    redirect: 'manual',
    headers: { 'user-agent': USER_AGENT, 'cookie': jar.header(), ...(init.headers ?? {}) },
  })
  jar.absorb(response)
  return response
}

export function csrfToken(html: string) {
  const token = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(html)?.[1]
  if (!token) throw new Error('No CSRF token on the page')
  return token
}

export async function postForm(base: string, path: string, jar: Jar, fields: Record<string, string>) {
  return request(base, path, jar, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
}

export async function signIn(base: string, loginPath: string, home: string, email: string, password = BENCH_PASSWORD): Promise<Jar & { csrf?: string }> {
  const jar = new Jar()
  const form = await request(base, loginPath, jar)
  const _csrf = csrfToken(await form.text())
  const response = await postForm(base, loginPath, jar, { _csrf, email, password })
  await response.arrayBuffer()
  const location = response.headers.get('location')
  if (response.status !== 302 || location !== home) {
    throw new Error(`Sign-in of ${email} at ${loginPath} answered ${response.status} → ${location}`)
  }
  const page = await request(base, home, jar)
  const html = await page.text()
  if (page.status !== 200) throw new Error(`${home} answered ${page.status} after signing in ${email}`)
  // Every page of a signed-in user carries a token (the sign-out form); it stays valid for the session.
  return Object.assign(jar, { csrf: /name=['"]_csrf['"]/.test(html) ? csrfToken(html) : undefined })
}
