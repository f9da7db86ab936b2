import { test } from '@japa/runner'
import { WebSession } from '#tests/helpers/web'
import { createClient, createPortalAccount, createStaff, signedInPortal, signedInStaff } from '#tests/helpers/factories'

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
    const staffWeb = await signedInStaff(await createStaff('admin'))
    const portalWeb = await signedInPortal(await createPortalAccount(await createClient()))
    for (const response of [await staffWeb.get('/dashboard'), await portalWeb.get('/portal')]) {
      assert.equal(response.status, 200)
      assert.equal(response.headers.get('cache-control'), 'no-store')
      assert.include(response.headers.get('vary') ?? '', 'HX-Request')
    }
  })

  test('pages carry no inline script or style, and htmx is served by the app', async ({ assert }) => {
    const web = await signedInPortal(await createPortalAccount(await createClient()))
    const page = (await web.get('/portal')).text
    assert.notMatch(page, /<script(?![^>]*\bsrc=)[^>]*>/)
    assert.notMatch(page, /<style/)
    assert.notMatch(page, /\sstyle=/)
    assert.notMatch(page, /\son[a-z]+=/)
    const htmx = await web.get('/vendor/htmx.min.js')
    assert.equal(htmx.status, 200)
  })
})
