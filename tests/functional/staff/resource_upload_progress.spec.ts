import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { readFile } from 'node:fs/promises'
import Resource from '#models/resource'
import { createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import type { WebSession } from '#tests/helpers/web'

/*
| The upload form's progress bar (public/js/app.js) sends by XMLHttpRequest,
| which would follow a redirect itself and spend the next page's flash
| messages. Sent with X-Upload-Progress, the upload is answered with where
| to go instead; the page then shows what a normal submit would.
*/
async function upload(web: WebSession, title: string, headers: Record<string, string>) {
  await web.get('/resource-library/new')
  const form = new FormData()
  form.append('_csrf', web.lastCsrfToken ?? '')
  form.append('title', title)
  form.append('description', '')
  form.append('categoryId', '')
  const bytes = await readFile(app.makePath('tests/fixtures/resource_library', 'sleep-tips.txt'))
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'text/plain' }), 'sleep-tips.txt')
  return web.request('POST', '/resource-library', form, headers)
}

test.group('Staff: the Resource Library upload with a progress bar', () => {
  test('the script gets the next address instead of a redirect, and the next page still shows its message', async ({ assert }) => {
    const web = await signIn(await createStaff('support_staff'))
    const page = await web.get('/resource-library/new')
    assert.include(page.text, 'data-upload-progress')
    assert.include(page.text, '<progress id="upload-progress-bar"')

    const title = `Progress ${Date.now()}`
    const response = await upload(web, title, { 'x-upload-progress': '1' })
    const resource = await Resource.findByOrFail('title', title)
    assert.equal(response.status, 200)
    assert.isNull(response.location)
    assert.equal(response.headers.get('x-upload-location'), `/resource-library/${resource.id}`)
    const next = await web.get(`/resource-library/${resource.id}`)
    assert.include(next.text, 'is in the library')
    // Checksum, MIME type and the internal number sit in a "Technical details" disclosure.
    const technical = next.text.slice(next.text.indexOf('<details class="technical-details">'), next.text.indexOf('</details>'))
    assert.include(technical, '<summary>Technical details</summary>')
    assert.include(technical, resource.checksum)
    assert.include(technical, 'text/plain')

    // A problem: back to the form, whose errors are still there to show.
    const refused = await upload(web, '', { 'x-upload-progress': '1' })
    assert.equal(refused.headers.get('x-upload-location'), '/resource-library/new')
    assert.include((await web.get('/resource-library/new')).text, 'id="field-title-error"')

    // Without the script: the usual redirect.
    const plain = await upload(web, `Plain ${Date.now()}`, {})
    assert.equal(plain.status, 302)
  })
})
