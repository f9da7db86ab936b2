import { test } from '@japa/runner'
import { formatFileSize } from '#support/file_size'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import app from '@adonisjs/core/services/app'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import Resource from '#models/resource'
import ResourceCategory from '#models/resource_category'
import ResourceShare from '#models/resource_share'
import type StaffUser from '#models/staff_user'
import { storeUpload, type CheckedUpload } from '#services/resource_files'
import resourceLibrary from '#config/resource_library'
import { WebSession, type WebResponse } from '#tests/helpers/web'
import { createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { PICKER_SEARCHES_PER_MINUTE } from '#pages/staff/client_picker'

/*
| The staff Resource Library, through real HTTP: multipart uploads checked by
| content, sharing seen from the clients' own portal, and the audit trail.
| Every test names its data uniquely (the database is shared by the run).
*/

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
let counter = 0
const unique = (label: string) => `${label} ${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`

const fixture = (name: string) => readFile(app.makePath('tests/fixtures/resource_library', name))
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

interface UploadInput {
  title?: string
  description?: string
  categoryId?: number | string
  /** Fixture file name, and the name and type the browser claims for it. */
  file?: { fixture: string; name?: string; type?: string }
}

/** Posts the upload form as a browser does: multipart, with the page's CSRF token. */
async function upload(web: WebSession, input: UploadInput) {
  await web.get('/resource-library/new')
  const form = new FormData()
  form.append('_csrf', web.lastCsrfToken ?? '')
  form.append('title', input.title ?? '')
  form.append('description', input.description ?? '')
  form.append('categoryId', input.categoryId === undefined ? '' : String(input.categoryId))
  if (input.file) {
    const bytes = await fixture(input.file.fixture)
    const blob = new Blob([new Uint8Array(bytes)], { type: input.file.type ?? 'application/octet-stream' })
    form.append('file', blob, input.file.name ?? input.file.fixture)
  }
  return web.request('POST', '/resource-library', form)
}

async function storedKeys() {
  const { objects } = await drive.use().listAll('resources', { recursive: true })
  return new Set([...objects].flatMap((object) => (object.isFile ? [object.key] : [])))
}

/** A staff member of a role who may use the library, signed in. */
async function libraryStaff(role: 'ceo' | 'admin' | 'support_staff' = 'support_staff') {
  const staff = await createStaff(role)
  return { staff, web: await signIn(staff) }
}

async function uploadFixture(web: WebSession, fixtureName: string, title = unique('Resource')) {
  const response = await upload(web, { title, file: { fixture: fixtureName } })
  const resource = await Resource.findByOrFail('title', title)
  return { response, resource, bytes: await fixture(fixtureName) }
}

/** An active client with their own portal account. */
async function clientWithPortal(attributes: Parameters<typeof createClient>[0] = {}) {
  const client = await createClient(attributes)
  const account = await createPortalAccount(client)
  return { client, account }
}

function share(web: WebSession, resource: Resource, clientIds: number[]) {
  return web.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/shares`, {
    'clientIds[]': clientIds.map(String),
  })
}

function unshare(web: WebSession, resource: Resource, clientId: number) {
  return web.submit(
    `/resource-library/${resource.id}`,
    `/resource-library/${resource.id}/shares/${clientId}/unshare`,
    {}
  )
}

async function auditRows(action: string, actor: StaffUser) {
  return db.from('audit_events').where({ action, actor_kind: 'staff', actor_id: actor.id }).orderBy('id')
}

/** The share picker's results only (the page also lists who has the resource). */
function pickerResults(page: WebResponse) {
  return page.text.split('id="share-results"')[1] ?? ''
}

function fieldError(page: WebResponse, id: string) {
  return page.text.match(new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`))?.[1] ?? null
}

/** The share picker's search, posted as its form does (the term is kept in the session). */
async function postPickerSearch(web: WebSession, resource: { id: number }, term: string, headers: Record<string, string> = {}) {
  await web.get(`/resource-library/${resource.id}`)
  return web.post(`/resource-library/${resource.id}/share-search`, { q: term }, headers)
}

test.group('Staff: Resource Library access', () => {
  for (const role of ['ceo', 'admin', 'support_staff'] as const) {
    test(`a ${role} opens the library, the upload form and the categories`, async ({ assert }) => {
      const { web } = await libraryStaff(role)
      const list = await web.get('/resource-library')
      assert.equal(list.status, 200)
      assert.include(list.text, '<h1>Resource Library</h1>')
      assert.equal(list.text.split('<h1').length - 1, 1)
      assert.include(list.text, 'href="/resource-library" aria-current="page"')

      assert.equal((await web.get('/resource-library/new')).status, 200)
      assert.equal((await web.get('/resource-library/categories')).status, 200)
    })
  }

  test('a clinician gets the calm 403 page on every page and action', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const web = await signIn(clinician)
    const { resource } = await uploadFixture((await libraryStaff()).web, 'breathing.pdf')

    for (const path of ['/resource-library', '/resource-library/new', `/resource-library/${resource.id}`, `/resource-library/${resource.id}/download`, '/resource-library/categories']) {
      const response = await web.get(path)
      assert.equal(response.status, 403, path)
      assert.include(response.text, 'This page is not available to you')
    }
    assert.notInclude((await web.get('/dashboard')).text, 'href="/resource-library"')

    const title = unique('Clinician upload')
    const refused = await upload(web, { title, file: { fixture: 'breathing.pdf' } })
    assert.equal(refused.status, 403)
    assert.isNull(await Resource.findBy('title', title))

    const archive = await web.post(`/resource-library/${resource.id}/archive`, {})
    assert.equal(archive.status, 403)
    await resource.refresh()
    assert.isNull(resource.archivedAt)
    assert.lengthOf(await auditRows('staff.resource.downloaded', clinician), 0)
  })

  test('a visitor goes to the staff sign-in; a portal user back to the portal', async ({ assert }) => {
    const anonymous = await new WebSession().get('/resource-library')
    assert.equal(anonymous.status, 302)
    assert.equal(anonymous.location, '/login')

    const { account } = await clientWithPortal()
    const portal = await signIn(account)
    const response = await portal.get('/resource-library')
    assert.equal(response.status, 302)
    assert.equal(response.location, '/portal')
  })
})

test.group('Staff: uploads checked by content', () => {
  const goodFiles = [
    { fixture: 'breathing.pdf', mime: 'application/pdf', extension: 'pdf', label: 'PDF document' },
    { fixture: 'pixel.png', mime: 'image/png', extension: 'png', label: 'PNG image' },
    { fixture: 'pixel.jpg', mime: 'image/jpeg', extension: 'jpg', label: 'JPEG image' },
    { fixture: 'worksheet.docx', mime: DOCX_MIME, extension: 'docx', label: 'Word document' },
    { fixture: 'sleep-tips.txt', mime: 'text/plain', extension: 'txt', label: 'Text file' },
  ]

  for (const good of goodFiles) {
    test(`a ${good.extension} file is stored with its type from content and its checksum`, async ({ assert }) => {
      const { staff, web } = await libraryStaff()
      const category = await ResourceCategory.create({ name: unique('Category'), position: 5 })
      const title = unique(`Upload ${good.extension}`)
      // The browser's claim is wrong on purpose: only the bytes count.
      const response = await upload(web, {
        title,
        description: 'For practice between sessions.',
        categoryId: category.id,
        file: { fixture: good.fixture, type: 'application/x-msdownload' },
      })

      const resource = await Resource.findByOrFail('title', title)
      assert.equal(response.status, 302)
      assert.equal(response.location, `/resource-library/${resource.id}`)
      const bytes = await fixture(good.fixture)
      assert.equal(resource.mimeType, good.mime)
      assert.equal(resource.checksum, sha256(bytes))
      assert.equal(Number(resource.sizeBytes), bytes.length)
      assert.equal(resource.originalName, good.fixture)
      assert.equal(resource.categoryId, category.id)
      assert.equal(resource.uploadedById, staff.id)
      assert.equal(resource.description, 'For practice between sessions.')
      assert.match(resource.fileKey, new RegExp(`^resources/[0-9a-f-]{36}/[A-Za-z0-9_-]+\\.${good.extension}$`))
      assert.deepEqual(Buffer.from(await drive.use().getBytes(resource.fileKey)), bytes)

      const page = await web.follow(response)
      assert.equal(page.status, 200)
      assert.include(page.text, 'is in the library')
      assert.include(page.text, good.label)
      assert.include(page.text, resource.checksum)

      const download = await downloadBytes(web, `/resource-library/${resource.id}/download`)
      assert.equal(download.status, 200)
      assert.equal(sha256(download.bytes), resource.checksum)
      assert.equal(download.headers.get('content-type')?.split(';')[0], good.mime)
      assert.equal(download.headers.get('x-content-type-options'), 'nosniff')
      assert.equal(download.headers.get('cache-control'), 'no-store')
      assert.match(download.headers.get('content-disposition')!, /^attachment;/)
      assert.include(download.headers.get('content-disposition')!, good.fixture)

      const [uploaded] = await auditRows('staff.resource.uploaded', staff)
      assert.equal(uploaded.detail.resourceId, resource.id)
      assert.notInclude(JSON.stringify(uploaded.detail), good.fixture)
      const [downloaded] = await auditRows('staff.resource.downloaded', staff)
      assert.deepEqual(downloaded.detail, { resourceId: resource.id })
    })
  }

  const badFiles = [
    { label: 'an executable renamed .pdf', fixture: 'program.pdf', type: 'application/pdf', says: 'whatever its name says' },
    { label: 'a text file with a NUL byte', fixture: 'nul-byte.txt', type: 'text/plain', says: 'whatever its name says' },
    { label: 'an HTML page renamed .txt', fixture: 'page.txt', type: 'text/plain', says: 'web page or other markup' },
  ]

  for (const bad of badFiles) {
    test(`${bad.label} is refused with a field error, and nothing is stored`, async ({ assert }) => {
      const { staff, web } = await libraryStaff()
      const before = await storedKeys()
      const title = unique('Refused')
      const response = await upload(web, { title, file: { fixture: bad.fixture, type: bad.type } })

      assert.equal(response.status, 302)
      assert.equal(response.location, '/resource-library/new')
      const form = await web.follow(response)
      assert.include(fieldError(form, 'field-file') ?? '', bad.says)
      assert.include(form.text, 'aria-invalid="true"')
      assert.include(form.text, 'href="#field-file"')
      // The title typed is kept; the file input is empty (browsers never refill it).
      assert.include(form.text, `value="${title}"`)

      assert.isNull(await Resource.findBy('title', title))
      assert.deepEqual([...(await storedKeys())].filter((key) => !before.has(key)), [])
      assert.lengthOf(await auditRows('staff.resource.uploaded', staff), 0)
    })
  }

  test('a missing title and a missing file are both shown at once', async ({ assert }) => {
    const { web } = await libraryStaff()
    const response = await upload(web, { title: '' })
    const form = await web.follow(response)
    assert.equal(fieldError(form, 'field-title'), 'Please give the resource a title.')
    assert.equal(fieldError(form, 'field-file'), 'Please choose a file to upload.')
    assert.include(form.text, 'Please check these')
  })

  test('an empty file is refused', async ({ assert }) => {
    const { web } = await libraryStaff()
    await web.get('/resource-library/new')
    const title = unique('Empty')
    const form = new FormData()
    form.append('_csrf', web.lastCsrfToken ?? '')
    form.append('title', title)
    form.append('file', new Blob([]), 'empty.pdf')
    const page = await web.follow(await web.request('POST', '/resource-library', form))
    assert.include(fieldError(page, 'field-file') ?? '', 'empty')
    assert.isNull(await Resource.findBy('title', title))
  })

  test('a file over the limit is refused as too large', async ({ assert }) => {
    const { web } = await libraryStaff()
    await web.get('/resource-library/new')
    const title = unique('Too large')
    const pdf = await fixture('breathing.pdf')
    const form = new FormData()
    form.append('_csrf', web.lastCsrfToken ?? '')
    form.append('title', title)
    const big = new Uint8Array(resourceLibrary.maxUploadBytes + 1)
    big.set(pdf)
    form.append('file', new Blob([big]), 'big.pdf')
    const page = await web.follow(await web.request('POST', '/resource-library', form))
    assert.include(fieldError(page, 'field-file') ?? '', 'larger than 20 MB')
    assert.isNull(await Resource.findBy('title', title))
  })

  test('the shown name is cleaned and ends in the real type', async ({ assert }) => {
    const { web } = await libraryStaff()
    const title = unique('Renamed')
    await upload(web, { title, file: { fixture: 'breathing.pdf', name: 'C:\\fakepath\\plan\u202Etxt.exe' } })
    const resource = await Resource.findByOrFail('title', title)
    assert.equal(resource.mimeType, 'application/pdf')
    assert.equal(resource.originalName, 'plantxt.exe.pdf')
    assert.match(resource.fileKey, /\/plantxt-exe\.pdf$/)
  })

  test('when the row cannot be written, the stored file is removed again', async ({ assert }) => {
    const bytes = await fixture('breathing.pdf')
    const upload: CheckedUpload = {
      type: resourceLibrary.allowedTypes.pdf,
      contents: bytes,
      originalName: 'breathing.pdf',
    }
    const before = await storedKeys()
    let storedKey = ''
    await assert.rejects(
      () =>
        storeUpload(upload, async (stored) => {
          storedKey = stored.fileKey
          assert.isTrue(await drive.use().exists(stored.fileKey))
          // A real insert failing: the uploader does not exist.
          return Resource.create({ title: unique('Orphan'), ...stored, uploadedById: -1 })
        }),
      /foreign key/
    )
    assert.isFalse(await drive.use().exists(storedKey))
    assert.deepEqual([...(await storedKeys())].filter((key) => !before.has(key)), [])
  })
})

test.group('Staff: sharing, seen from the clients’ portal', () => {
  test('share with two clients, unshare one, share again, archive', async ({ assert }) => {
    const { staff, web } = await libraryStaff('admin')
    const { resource, bytes } = await uploadFixture(web, 'sleep-tips.txt', unique('Sleep hygiene'))
    const first = await clientWithPortal()
    const second = await clientWithPortal()
    const firstPortal = await signIn(first.account)
    const secondPortal = await signIn(second.account)
    const portalDownload = `/portal/resources/${resource.id}/download`

    // Not shared yet: neither client sees it.
    assert.notInclude((await firstPortal.get('/portal/resources')).text, resource.title)
    assert.equal((await firstPortal.get(portalDownload)).status, 404)

    const shared = await share(web, resource, [first.client.id, second.client.id])
    assert.equal(shared.location, `/resource-library/${resource.id}`)
    const page = await web.follow(shared)
    assert.include(page.text, 'Shared with 2 clients.')
    assert.include(page.text, first.client.lastName)
    assert.include(page.text, second.client.lastName)

    for (const portal of [firstPortal, secondPortal]) {
      assert.include((await portal.get('/portal/resources')).text, resource.title)
      const download = await portal.get(portalDownload)
      assert.equal(download.status, 200)
      assert.equal(download.text, bytes.toString('utf8'))
    }
    const sharedRows = await auditRows('staff.resource.shared', staff)
    assert.sameMembers(sharedRows.map((row) => row.client_id), [first.client.id, second.client.id])
    for (const row of sharedRows) {
      assert.equal(row.detail.resourceId, resource.id)
      assert.equal(row.detail.clientId, row.client_id)
    }

    // Unshare the first client: gone for them, still there for the second.
    const unshared = await web.follow(await unshare(web, resource, first.client.id))
    assert.include(unshared.text, 'no longer has')
    assert.equal((await firstPortal.get(portalDownload)).status, 404)
    assert.notInclude((await firstPortal.get('/portal/resources')).text, resource.title)
    assert.equal((await secondPortal.get(portalDownload)).status, 200)
    const revoked = await ResourceShare.query().where({ resourceId: resource.id, clientId: first.client.id }).firstOrFail()
    assert.isNotNull(revoked.revokedAt)
    assert.equal(revoked.revokedById, staff.id)
    const [unsharedRow] = await auditRows('staff.resource.unshared', staff)
    assert.deepEqual(unsharedRow.detail, { resourceId: resource.id, clientId: first.client.id })
    assert.equal(unsharedRow.client_id, first.client.id)
    assert.notInclude(unshared.text.split('id="who-has-it"')[1].split('id="share"')[0], first.client.lastName)

    // Unsharing again changes nothing and writes no audit row.
    await unshare(web, resource, first.client.id)
    assert.lengthOf(await auditRows('staff.resource.unshared', staff), 1)

    // Share again: the same row comes back to life.
    await share(web, resource, [first.client.id])
    assert.equal((await firstPortal.get(portalDownload)).status, 200)
    assert.include((await firstPortal.get('/portal/resources')).text, resource.title)
    const rows = await ResourceShare.query().where({ resourceId: resource.id, clientId: first.client.id })
    assert.lengthOf(rows, 1)
    assert.isNull(rows[0].revokedAt)
    assert.isNull(rows[0].revokedById)

    // Archive: hidden from every client; unarchive brings it back.
    await web.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/archive`, {})
    await resource.refresh()
    assert.isNotNull(resource.archivedAt)
    assert.equal((await firstPortal.get(portalDownload)).status, 404)
    assert.equal((await secondPortal.get(portalDownload)).status, 404)
    assert.notInclude((await secondPortal.get('/portal/resources')).text, resource.title)
    assert.lengthOf(await auditRows('staff.resource.archived', staff), 1)
    // Staff can still download an archived resource.
    assert.equal((await web.get(`/resource-library/${resource.id}/download`)).status, 200)

    await web.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/unarchive`, {})
    assert.equal((await secondPortal.get(portalDownload)).status, 200)
    assert.lengthOf(await auditRows('staff.resource.unarchived', staff), 1)
  })

  test('the picker finds active clients by name, without JavaScript and as an htmx fragment', async ({ assert }) => {
    const { web } = await libraryStaff()
    const { resource } = await uploadFixture(web, 'breathing.pdf')
    // Digits only: a random letter pair could spell "rob" into the surname and defeat the narrowing below.
    const family = `Picker${Math.random().toString().slice(2, 8)}`
    const active = await createClient({ lastName: family, firstName: 'Robin' })
    const holder = await createClient({ lastName: family, firstName: 'Avery' })
    const discharged = await createClient({ lastName: family, firstName: 'Quinn', status: 'discharged' })
    await share(web, resource, [holder.id])

    // Posted and remembered in the session: the name never goes into a URL.
    const posted = await postPickerSearch(web, resource, family.toLowerCase())
    assert.equal(posted.location, `/resource-library/${resource.id}#share`)
    const page = await web.get(`/resource-library/${resource.id}`)
    assert.equal(page.status, 200)
    const results = pickerResults(page)
    assert.include(results, `name="clientIds[]" value="${active.id}"`)
    assert.notInclude(results, `name="clientIds[]" value="${holder.id}"`)
    assert.include(results, `${holder.choiceLabel} <span class="muted">· already has it</span>`)
    assert.notInclude(results, discharged.choiceLabel)
    assert.include(page.text, 'data-hx-post=')

    // Two words narrow it down: first and last name.
    await postPickerSearch(web, resource, `rob ${family}`)
    const narrowed = pickerResults(await web.get(`/resource-library/${resource.id}`))
    assert.include(narrowed, `value="${active.id}"`)
    assert.notInclude(narrowed, holder.choiceLabel)

    // htmx follows the redirect and asks for the results alone.
    await postPickerSearch(web, resource, family, { 'HX-Request': 'true' })
    const fragment = await web.get(`/resource-library/${resource.id}`, { 'HX-Request': 'true' })
    assert.equal(fragment.status, 200)
    assert.notInclude(fragment.text, '<html')
    assert.include(fragment.text, 'id="share-results"')
    assert.include(fragment.headers.get('vary') ?? '', 'HX-Request')

    // The search belongs to this resource's page, not to another one's.
    const { resource: other } = await uploadFixture(web, 'breathing.pdf')
    assert.include(pickerResults(await web.get(`/resource-library/${other.id}`)), 'Search for a client to share this resource with.')

    // LIKE wildcards are searched for literally.
    await postPickerSearch(web, resource, '%')
    const wildcard = pickerResults(await web.get(`/resource-library/${resource.id}`))
    assert.include(wildcard, 'No active client matches')
    await postPickerSearch(web, resource, family)

    // Sharing from the picker; a discharged client cannot be given it.
    const shared = await web.follow(await share(web, resource, [active.id, discharged.id]))
    assert.include(shared.text, 'Shared with one client.')
    assert.include(shared.text, 'only active clients can')
    assert.isNull(await ResourceShare.query().where({ resourceId: resource.id, clientId: discharged.id }).first())
  })

  test('a share search over the budget shows a calm message in the results (htmx), the 429 page without it', async ({ assert }) => {
    const { web } = await libraryStaff()
    const { resource } = await uploadFixture(web, 'breathing.pdf')
    const htmx = { 'HX-Request': 'true' }
    await web.get(`/resource-library/${resource.id}`)
    // Every search up to the budget goes through (a redirect htmx follows to the results).
    for (let index = 0; index < PICKER_SEARCHES_PER_MINUTE; index++) {
      const response = await web.post(`/resource-library/${resource.id}/share-search`, { q: `x${index}` }, htmx)
      assert.equal(response.status, 302, `search ${index}`)
    }

    // One more: htmx swaps no 4xx (resources/views/components/ui/head.edge), so it gets the results region itself.
    const busy = await web.post(`/resource-library/${resource.id}/share-search`, { q: 'one more' }, htmx)
    assert.equal(busy.status, 200)
    assert.notInclude(busy.text, '<html')
    assert.equal(
      busy.text.trim().replace(/\s+/g, ' '),
      '<div id="share-results" aria-live="polite"> <p class="field-error" id="share-search-busy" role="alert">That was a lot of searches in a short time. Please wait a minute, then search again.</p> </div>'
    )
    assert.include(busy.headers.get('vary') ?? '', 'HX-Request')

    // Without JavaScript: the calm 429 page.
    const plain = await web.post(`/resource-library/${resource.id}/share-search`, { q: 'plain' })
    assert.equal(plain.status, 429)
    assert.include(plain.text, 'Please wait a moment')
  }).timeout(60_000)

  test('sharing with nobody ticked, or an archived resource, is a clear error', async ({ assert }) => {
    const { web } = await libraryStaff()
    const { resource } = await uploadFixture(web, 'breathing.pdf')
    const nobody = await web.follow(await share(web, resource, []))
    assert.include(nobody.text, 'Please tick at least one client to share with.')

    const client = await createClient()
    await web.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/archive`, {})
    const archived = await web.follow(await share(web, resource, [client.id]))
    assert.include(archived.text, 'This resource is archived')
    assert.isNull(await ResourceShare.query().where({ resourceId: resource.id, clientId: client.id }).first())
  })
})

test.group('Staff: library list and resource details', () => {
  test('the list shows category, type, size, live shares and archived state, with filters', async ({ assert }) => {
    const { web } = await libraryStaff()
    const category = await ResourceCategory.create({ name: unique('Listed'), position: 3 })
    const title = unique('Listed resource')
    await upload(web, { title, categoryId: category.id, file: { fixture: 'worksheet.docx' } })
    const resource = await Resource.findByOrFail('title', title)
    const { client } = await clientWithPortal()
    const gone = await createClient()
    await share(web, resource, [client.id, gone.id])
    await unshare(web, resource, gone.id)

    const list = await web.get(`/resource-library?category=${category.id}`)
    const row = list.text.split(`>${title}</a>`)[1].split('</tr>')[0]
    assert.include(row, category.name)
    assert.include(row, 'Word document')
    assert.include(row, formatFileSize((await fixture('worksheet.docx')).length))
    assert.include(row, '1 client')
    assert.include(row, 'In use')
    assert.include(list.text, '<th scope="col">Title</th>')

    // Followed, so the confirmation (which names the resource) is not on the next page.
    await web.follow(await web.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/archive`, {}))
    assert.notInclude((await web.get(`/resource-library?category=${category.id}`)).text, title)
    const archived = await web.get(`/resource-library?category=${category.id}&archived=archived`)
    assert.include(archived.text, title)
    assert.include(archived.text.split(`>${title}</a>`)[1].split('</tr>')[0], 'Archived')

    const uncategorised = await web.get('/resource-library?category=none&archived=all')
    assert.notInclude(uncategorised.text, title)

    const fragment = await web.get(`/resource-library?category=${category.id}&archived=all`, { 'HX-Request': 'true' })
    assert.notInclude(fragment.text, '<html')
    assert.include(fragment.text, 'id="resource-list"')
    assert.include(fragment.text, title)

    assert.isBelow((await web.get('/resource-library?category=drop%20table&page=-1')).status, 500)
  })

  test('the list paginates', async ({ assert }) => {
    const { web } = await libraryStaff()
    const category = await ResourceCategory.create({ name: unique('Paged'), position: 9 })
    const pdf = await fixture('breathing.pdf')
    for (let i = 0; i < resourceLibrary.perPage + 2; i++) {
      await Resource.create({
        title: `Paged ${category.id} ${String(i).padStart(3, '0')}`,
        categoryId: category.id,
        fileKey: `resources/test-paged-${category.id}-${i}/breathing.pdf`,
        originalName: 'breathing.pdf',
        mimeType: 'application/pdf',
        sizeBytes: pdf.length,
        checksum: sha256(pdf),
      })
    }
    const first = await web.get(`/resource-library?category=${category.id}`)
    assert.include(first.text, `Paged ${category.id} 000`)
    assert.notInclude(first.text, `Paged ${category.id} ${String(resourceLibrary.perPage).padStart(3, '0')}`)
    assert.include(first.text, `href="/resource-library?category=${category.id}&amp;archived=active&amp;page=2"`)
    const second = await web.get(`/resource-library?category=${category.id}&archived=active&page=2`)
    assert.include(second.text, `Paged ${category.id} ${String(resourceLibrary.perPage + 1).padStart(3, '0')}`)
  })

  test('editing the details is saved and audited with the changed fields only', async ({ assert }) => {
    const { staff, web } = await libraryStaff('ceo')
    const { resource } = await uploadFixture(web, 'pixel.png')
    const category = await ResourceCategory.create({ name: unique('Edited'), position: 1 })
    const title = unique('New title')

    const response = await web.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/details`, {
      title,
      description: '',
      categoryId: String(category.id),
    })
    assert.equal(response.location, `/resource-library/${resource.id}`)
    await resource.refresh()
    assert.equal(resource.title, title)
    assert.equal(resource.categoryId, category.id)
    const [updated] = await auditRows('staff.resource.updated', staff)
    assert.deepEqual(updated.detail, { resourceId: resource.id, fields: 'categoryId,title' })

    const refused = await web.follow(
      await web.submit(`/resource-library/${resource.id}`, `/resource-library/${resource.id}/details`, {
        title: '',
        categoryId: '999999999',
      })
    )
    assert.equal(fieldError(refused, 'field-title'), 'Please give the resource a title.')
    assert.equal(fieldError(refused, 'field-categoryId'), 'That category no longer exists. Please choose another.')
    await resource.refresh()
    assert.equal(resource.title, title)
  })

  test('an unknown resource is a 404', async ({ assert }) => {
    const { web } = await libraryStaff()
    assert.equal((await web.get('/resource-library/999999999')).status, 404)
    assert.equal((await web.get('/resource-library/999999999/download')).status, 404)
    assert.equal((await web.get('/resource-library/12345678901234567890123')).status, 404)
  })
})

test.group('Staff: resource categories', () => {
  test('create, refuse a duplicate name, rename and reorder', async ({ assert }) => {
    const { staff, web } = await libraryStaff()
    const name = unique('Coping skills')

    const created = await web.submit('/resource-library/categories', '/resource-library/categories', { name })
    assert.equal(created.location, '/resource-library/categories')
    const category = await ResourceCategory.findByOrFail('name', name)
    const list = await web.follow(created)
    assert.include(list.text, `<th scope="row">${name}</th>`)

    // The same name in other letter case is a duplicate too.
    const duplicate = await web.follow(
      await web.submit('/resource-library/categories', '/resource-library/categories', { name: name.toUpperCase() })
    )
    assert.equal(
      fieldError(duplicate, 'field-name'),
      'There is already a category with this name. Please choose another name.'
    )
    assert.equal((await db.from('resource_categories').whereRaw('lower(name) = lower(?)', [name])).length, 1)

    const other = await ResourceCategory.create({ name: unique('Sleep'), position: 0 })
    const renameRefused = await web.follow(
      await web.submit(`/resource-library/categories/${other.id}/edit`, `/resource-library/categories/${other.id}/rename`, { name })
    )
    assert.include(fieldError(renameRefused, 'field-name') ?? '', 'already a category with this name')
    await other.refresh()
    assert.notEqual(other.name, name)

    const newName = unique('Coping')
    await web.submit(`/resource-library/categories/${category.id}/edit`, `/resource-library/categories/${category.id}/rename`, { name: newName })
    await category.refresh()
    assert.equal(category.name, newName)
    // Keeping its own name is not a duplicate.
    const same = await web.submit(`/resource-library/categories/${category.id}/edit`, `/resource-library/categories/${category.id}/rename`, { name: newName })
    assert.equal(same.location, '/resource-library/categories')

    await web.get('/resource-library/categories')
    const reordered = await web.post('/resource-library/categories/order', {
      'categoryIds[]': [String(category.id), String(other.id)],
      'positions[]': ['7', '2'],
    })
    assert.equal(reordered.location, '/resource-library/categories')
    await category.refresh()
    await other.refresh()
    assert.equal(category.position, 7)
    assert.equal(other.position, 2)

    const badOrder = await web.follow(
      await web.post('/resource-library/categories/order', {
        'categoryIds[]': [String(category.id)],
        'positions[]': ['first'],
      })
    )
    assert.include(badOrder.text, 'Please give each category a whole number from 0 to 9999.')
    await category.refresh()
    assert.equal(category.position, 7)

    assert.lengthOf(await auditRows('staff.resource_category.created', staff), 1)
    assert.lengthOf(await auditRows('staff.resource_category.renamed', staff), 1)
    assert.lengthOf(await auditRows('staff.resource_category.reordered', staff), 1)
  })
})

/** A download as bytes (WebSession reads bodies as text), with the session's cookies. */
async function downloadBytes(web: WebSession, path: string) {
  const response = await fetch(new URL(path, web.baseUrl), {
    redirect: 'manual',
    headers: { cookie: [...web.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
  })
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) }
}
