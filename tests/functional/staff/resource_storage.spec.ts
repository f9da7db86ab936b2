import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import Resource from '#models/resource'
import { storeUpload } from '#services/resource_files'
import resourceLibrary from '#config/resource_library'
import { fileDiskName, useFileDisk, type FileDiskName } from '#services/file_store'
import { WebSession } from '#tests/helpers/web'
import { createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'

/*
| The Resource Library's whole file life on each disk: the local disk and a
| real S3 server (s3rver on loopback, started by bin/test.ts; never the
| drive's fake). Upload, share, portal download (byte for byte: its SHA-256
| is the checksum stored at upload), unshare, archive — all over HTTP, the
| file always streamed through the authorised controllers.
*/
const unique = (label: string) => `${label} ${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const fixture = (name: string) => readFile(app.makePath('tests/fixtures/resource_library', name))

/** A download's raw bytes (WebSession reads bodies as text, which would mangle a PDF). */
async function download(web: WebSession, path: string) {
  const response = await fetch(new URL(path, web.baseUrl), {
    redirect: 'manual',
    headers: { cookie: [...web.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
  })
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) }
}

async function upload(web: WebSession, title: string, fixtureName: string) {
  await web.get('/resource-library/new')
  const form = new FormData()
  form.append('_csrf', web.lastCsrfToken ?? '')
  form.append('title', title)
  form.append('description', '')
  form.append('categoryId', '')
  form.append('file', new Blob([new Uint8Array(await fixture(fixtureName))]), fixtureName)
  return web.request('POST', '/resource-library', form)
}

for (const disk of ['fs', 's3'] as FileDiskName[]) {
  test.group(`Resource Library files on the ${disk === 'fs' ? 'local disk' : 'S3 server'}`, (group) => {
    group.setup(() => {
      const before = fileDiskName()
      useFileDisk(disk)
      return () => useFileDisk(before)
    })

    test('upload, share, download (checksum), unshare and archive', async ({ assert }) => {
      const staff = await createStaff('admin')
      const web = await signIn(staff)
      const title = unique(`Grounding ${disk}`)
      const uploaded = await upload(web, title, 'breathing.pdf')
      assert.equal(uploaded.status, 302)
      const resource = await Resource.findByOrFail('title', title)
      const original = await fixture('breathing.pdf')
      assert.equal(resource.checksum, sha256(original))

      // Stored on this disk and only there.
      const other = disk === 'fs' ? 's3' : 'fs'
      assert.isTrue(await drive.use(disk).exists(resource.fileKey))
      assert.isFalse(await drive.use(other).exists(resource.fileKey))

      const client = await createClient()
      const account = await createPortalAccount(client)
      const portal = await signIn(account)
      const path = `/portal/resources/${resource.id}/download`
      assert.equal((await download(portal, path)).status, 404)

      await web.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/shares`, {
        'clientIds[]': [String(client.id)],
      })
      const shared = await download(portal, path)
      assert.equal(shared.status, 200)
      assert.equal(shared.headers.get('content-type'), 'application/pdf')
      assert.equal(shared.headers.get('x-content-type-options'), 'nosniff')
      assert.match(shared.headers.get('content-disposition') ?? '', /^attachment; filename="?breathing\.pdf"?$/)
      assert.equal(sha256(shared.bytes), resource.checksum)

      const staffCopy = await download(web, `/resource-library/${resource.id}/download`)
      assert.equal(staffCopy.status, 200)
      assert.equal(sha256(staffCopy.bytes), resource.checksum)

      await web.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/shares/${client.id}/unshare`, {})
      assert.equal((await download(portal, path)).status, 404)

      await web.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/shares`, {
        'clientIds[]': [String(client.id)],
      })
      assert.equal(sha256((await download(portal, path)).bytes), resource.checksum)
      await web.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/archive`, {})
      assert.equal((await download(portal, path)).status, 404)
      // Archiving hides, it does not delete: staff still get the same bytes.
      assert.equal(sha256((await download(web, `/resource-library/${resource.id}/download`)).bytes), resource.checksum)

      // Another client's portal never reaches it.
      const stranger = await signIn(await createPortalAccount(await createClient()))
      assert.equal((await download(stranger, path)).status, 404)
    })

    test('a file whose row could not be written is removed again', async ({ assert }) => {
      const contents = await fixture('sleep-tips.txt')
      let storedKey = ''
      await assert.rejects(() =>
        storeUpload({ type: resourceLibrary.allowedTypes.txt, contents, originalName: 'sleep-tips.txt' }, async (stored) => {
          storedKey = stored.fileKey
          assert.isTrue(await drive.use(disk).exists(stored.fileKey))
          throw new Error('the row could not be written')
        })
      )
      assert.isFalse(await drive.use(disk).exists(storedKey))
    })
  })
}
