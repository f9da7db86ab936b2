import { test } from '@japa/runner'
import { WebSession } from '#tests/helpers/web'
import { createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'

const EXPECTED_CSP = [
  "base-uri 'none'",
  "default-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
]

test.group('Security headers', () => {
  test('the Content-Security-Policy is exactly the strict set', async ({ assert }) => {
    const response = await new WebSession().get('/portal/login')
    const directives = response.headers
      .get('content-security-policy')!
      .split(';')
      .map((directive) => directive.trim())
      .filter(Boolean)
      .sort()
    assert.deepEqual(directives, EXPECTED_CSP)
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(response.headers.get('x-frame-options'), 'DENY')
    assert.equal(response.headers.get('referrer-policy'), 'same-origin')
  })

  test('signed-in pages of both sides are never stored by the browser', async ({ assert }) => {
    const staffWeb = await signIn(await createStaff('admin'))
    const portalWeb = await signIn(await createPortalAccount(await createClient()))
    for (const response of [await staffWeb.get('/dashboard'), await portalWeb.get('/portal')]) {
      assert.equal(response.status, 200)
      assert.equal(response.headers.get('cache-control'), 'no-store')
      assert.include(response.headers.get('vary') ?? '', 'HX-Request')
    }
  })

  test('pages carry no inline script or style, and htmx is served by the app', async ({ assert }) => {
    const web = await signIn(await createPortalAccount(await createClient()))
    const page = (await web.get('/portal')).text
    assert.notMatch(page, /<script(?![^>]*\bsrc=)[^>]*>/)
    assert.notMatch(page, /<style/)
    assert.notMatch(page, /\sstyle=/)
    assert.notMatch(page, /\son[a-z]+=/)
    const htmx = await web.get('/vendor/htmx.min.js')
    assert.equal(htmx.status, 200)
  })
})

test.group('Uploads', () => {
  test('only a signed-in staff session may send a file, and only to an upload endpoint', async ({ assert }) => {
    const body = () => {
      const form = new FormData()
      form.append('title', 'x')
      form.append('file', new Blob(['hello']), 'hello.txt')
      return form
    }
    const anonymous = await fetch(`${new WebSession().baseUrl}/resource-library`, { method: 'POST', body: body() })
    assert.equal(anonymous.status, 415)

    const portal = await signIn(await createPortalAccount(await createClient()))
    await portal.get('/portal/account')
    const response = await fetch(`${portal.baseUrl}/portal/account/contact`, {
      method: 'POST',
      body: body(),
      headers: { cookie: [...portal.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    })
    assert.equal(response.status, 415)
  })
})
