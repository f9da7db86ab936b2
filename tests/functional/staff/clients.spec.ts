import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Client from '#models/client'
import { WebSession, type WebResponse } from '#tests/helpers/web'
import {
  createAppointment,
  createClient,
  createEmergencyContact,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { shiftableClock } from '#tests/helpers/clock'

/*
| The database is shared by the whole run and never truncated, so every test
| makes its own clients (unique names) and, where it counts rows, its own
| clinician to narrow the list to exactly its own clients.
*/
let counter = 0
const uniqueWord = (label: string) =>
  `${label}${process.pid}x${++counter}x${Math.random().toString(36).slice(2, 8)}`

/** Links to client pages in a list: one per row. */
function clientRows(html: string) {
  return [...html.matchAll(/<th scope="row"><a href="\/clients\/(\d+)">/g)].map((match) => Number(match[1]))
}

/** The href of the link with this text, as a browser would read it. */
function linkTo(html: string, text: string) {
  const match = html.match(new RegExp(`<a href="([^"]+)"[^>]*>${text}</a>`))
  return match ? match[1].replaceAll('&amp;', '&') : null
}

function auditRows(action: string, actorId: number) {
  return db
    .from('audit_events')
    .where({ action, actor_kind: 'staff', actor_id: actorId })
    .orderBy('id', 'asc')
}

/** Every field of the client form, as the edit page would send it, with some changed. */
function formOf(client: Client, changes: Record<string, string> = {}) {
  return {
    firstName: client.firstName,
    lastName: client.lastName,
    preferredName: client.preferredName ?? '',
    dateOfBirth: client.dateOfBirth?.toISODate() ?? '',
    email: client.email ?? '',
    phone: client.phone ?? '',
    addressLine1: client.addressLine1 ?? '',
    addressLine2: client.addressLine2 ?? '',
    city: client.city ?? '',
    region: client.region ?? '',
    postalCode: client.postalCode ?? '',
    status: client.status,
    primaryClinicianId: client.primaryClinicianId ? String(client.primaryClinicianId) : '',
    ...changes,
  }
}

/** Posts a search and follows the redirect; returns both responses. */
async function search(web: WebSession, form: Record<string, string>) {
  await web.get('/clients')
  const posted = await web.post('/clients/search', form)
  const list = await web.follow(posted)
  return { posted, list }
}

test.group('Staff clients: list, search, filters', () => {
  for (const role of ['ceo', 'admin', 'support_staff', 'clinician'] as const) {
    test(`a ${role} can list clients`, async ({ assert }) => {
      const staff = await createStaff(role)
      const clinician = role === 'clinician' ? staff : await createStaff('clinician')
      const client = await createClient({ primaryClinicianId: clinician.id })
      const web = await signIn(staff)

      const response = await web.get(`/clients?clinician=${clinician.id}`)
      assert.equal(response.status, 200)
      assert.include(response.text, '<h1>Clients</h1>')
      assert.deepEqual(clientRows(response.text), [client.id])
      assert.include(response.text, `${client.lastName}, ${client.firstName}`)
      assert.include(response.text, '<th scope="col">Primary clinician</th>')
      assert.match(response.text, /<table class="client-table">\s*<caption id="client-list-caption">/)
      // Adding clients is intake work: not offered to clinicians.
      if (role === 'clinician') assert.notInclude(response.text, 'Add a client')
      else assert.include(response.text, 'Add a client')
    })
  }

  test('a visitor who is not signed in is sent to the staff sign-in', async ({ assert }) => {
    const response = await new WebSession().get('/clients')
    assert.equal(response.status, 302)
    assert.equal(response.location, '/login')
  })

  test('search by name is posted, kept out of every URL, and audited without the term', async ({ assert }) => {
    const staff = await createStaff('support_staff')
    const surname = uniqueWord('Zebulon')
    const client = await createClient({ lastName: surname, firstName: 'Marguerite' })
    const web = await signIn(staff)

    const term = `marguerite ${surname.toUpperCase()}`
    const { posted, list } = await search(web, { term })
    assert.equal(posted.status, 302)
    assert.equal(posted.location, '/clients')
    assert.equal(list.status, 200)
    assert.deepEqual(clientRows(list.text), [client.id])
    assert.include(list.text, 'matching your search')
    // The term shows in its box, and in no link or form address of the page.
    assert.include(list.text, `value="${term}"`)
    for (const [, url] of list.text.matchAll(/(?:href|action)="([^"]*)"/g)) {
      assert.notInclude(url.toLowerCase(), surname.toLowerCase())
    }

    const rows = await auditRows('staff.clients.searched', staff.id)
    assert.lengthOf(rows, 1)
    assert.deepEqual(rows[0].detail, { resultCount: 1 })
    assert.notInclude(JSON.stringify(rows[0]).toLowerCase(), surname.toLowerCase())
    assert.notInclude(JSON.stringify(rows[0]).toLowerCase(), 'marguerite')
  })

  test('search finds email and preferred name, case-insensitively', async ({ assert }) => {
    const staff = await createStaff('admin')
    const word = uniqueWord('mail')
    const byEmail = await createClient({ email: `${word}@example.test` })
    const byPreferred = await createClient({ preferredName: `Pip${word}` })
    const web = await signIn(staff)

    const first = await search(web, { term: `${word.toUpperCase()}@EXAMPLE` })
    assert.deepEqual(clientRows(first.list.text), [byEmail.id])

    const second = await search(web, { term: `pip${word}` })
    assert.deepEqual(clientRows(second.list.text), [byPreferred.id])
  })

  test('% and _ in a search match only themselves', async ({ assert }) => {
    const staff = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const word = uniqueWord('')
    const underscored = await createClient({ lastName: `O_B${word}`, primaryClinicianId: clinician.id })
    await createClient({ lastName: `OxB${word}`, primaryClinicianId: clinician.id })
    const web = await signIn(staff)

    const percent = await search(web, { term: '%', clinician: String(clinician.id) })
    assert.equal(percent.posted.location, `/clients?clinician=${clinician.id}`)
    assert.deepEqual(clientRows(percent.list.text), [])
    assert.include(percent.list.text, 'No clients match this search.')

    const underscore = await search(web, { term: `o_b${word}`, clinician: String(clinician.id) })
    assert.deepEqual(clientRows(underscore.list.text), [underscored.id])
  })

  test('clearing the search shows the whole list again', async ({ assert }) => {
    const staff = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const surname = uniqueWord('Quill')
    const found = await createClient({ lastName: surname, primaryClinicianId: clinician.id })
    const other = await createClient({ primaryClinicianId: clinician.id })
    const web = await signIn(staff)

    const { list } = await search(web, { term: surname, clinician: String(clinician.id) })
    assert.deepEqual(clientRows(list.text), [found.id])

    const cleared = await web.post('/clients/search/clear', {})
    assert.equal(cleared.location, '/clients')
    const all = await web.get(`/clients?clinician=${clinician.id}`)
    assert.sameMembers(clientRows(all.text), [found.id, other.id])
    assert.notInclude(all.text, `value="${surname}"`)
  })

  test('a search is forgotten after 15 minutes', async ({ assert, cleanup }) => {
    const clock = shiftableClock()
    cleanup(() => clock.restore())
    const staff = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const surname = uniqueWord('Wren')
    const found = await createClient({ lastName: surname, primaryClinicianId: clinician.id })
    const other = await createClient({ primaryClinicianId: clinician.id })
    const web = await signIn(staff)
    await search(web, { term: surname })

    clock.forward({ minutes: 16 })

    const all = await web.get(`/clients?clinician=${clinician.id}`)
    assert.sameMembers(clientRows(all.text), [found.id, other.id])
    assert.notInclude(all.text, `value="${surname}"`)
  })

  test('a search term longer than 100 characters is refused calmly', async ({ assert }) => {
    const web = await signIn(await createStaff('admin'))
    await web.get('/clients')
    const posted = await web.post('/clients/search', { term: 'a'.repeat(101) }, { referer: '/clients' })
    assert.equal(posted.status, 302)
    const page = await web.follow(posted)
    assert.include(page.text, 'Please search with 100 characters or fewer.')
    assert.include(page.text, 'id="field-term-error"')
  })

  test('filters by status and clinician, 25 a page with real links', async ({ assert }) => {
    const staff = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const active: Client[] = []
    for (let i = 0; i < 27; i++) {
      active.push(await createClient({ lastName: `Page${String(i).padStart(2, '0')}${uniqueWord('')}`, primaryClinicianId: clinician.id }))
    }
    const inactive = await createClient({ status: 'inactive', primaryClinicianId: clinician.id })
    const discharged = await createClient({ status: 'discharged', primaryClinicianId: clinician.id })
    const web = await signIn(staff)

    const first = await web.get(`/clients?clinician=${clinician.id}&status=active`)
    assert.include(first.text, 'of 27')
    assert.deepEqual(clientRows(first.text), active.slice(0, 25).map((client) => client.id))
    assert.include(first.text, 'Page 1 of 2')
    const next = linkTo(first.text, 'Next page')
    assert.isNotNull(next)
    const nextUrl = new URL(next!, 'http://x')
    assert.equal(nextUrl.pathname, '/clients')
    assert.equal(nextUrl.searchParams.get('page'), '2')
    assert.equal(nextUrl.searchParams.get('clinician'), String(clinician.id))
    assert.equal(nextUrl.searchParams.get('status'), 'active')

    const second = await web.get(next!)
    assert.deepEqual(clientRows(second.text), active.slice(25).map((client) => client.id))
    assert.isNotNull(linkTo(second.text, 'Previous page'))

    const onlyInactive = await web.get(`/clients?clinician=${clinician.id}&status=inactive`)
    assert.deepEqual(clientRows(onlyInactive.text), [inactive.id])
    const everyStatus = await web.get(`/clients?clinician=${clinician.id}`)
    assert.include(everyStatus.text, 'of 29')
    // Factory surnames ("Last-…") sort before "Page…".
    assert.includeMembers(clientRows(everyStatus.text), [inactive.id, discharged.id])
  })

  test('clients without a primary clinician can be listed, and a bad filter is a calm 422', async ({ assert }) => {
    const staff = await createStaff('admin')
    const surname = uniqueWord('Unassigned')
    const unassigned = await createClient({ lastName: surname })
    const web = await signIn(staff)

    const { list } = await search(web, { term: surname, clinician: 'none' })
    assert.deepEqual(clientRows(list.text), [unassigned.id])

    const bad = await web.get('/clients?status=sleeping')
    assert.equal(bad.status, 422)
    assert.include(bad.text, 'Choose one of the listed statuses')
    assert.deepEqual(clientRows(bad.text), [])
  })
})

test.group('Staff clients: the client page', () => {
  test('shows details, portal accounts, appointments, shared resources; the view is audited', async ({ assert }) => {
    const staff = await createStaff('support_staff')
    const clinician = await createStaff('clinician')
    const otherProvider = await createStaff('clinician')
    const client = await createClient({
      email: `${uniqueWord('c')}@example.test`,
      phone: '+12135550142',
      addressLine1: '12 Harbor Way',
      city: 'Madison',
      region: 'WI',
      postalCode: '53703',
      primaryClinicianId: clinician.id,
    })
    const contact = await createEmergencyContact(client, { relationship: 'Sister' })
    const self = await createPortalAccount(client, 'self')
    const former = await createPortalAccount(client, 'authorized_caregiver')
    await db.from('client_user_links').where({ client_user_id: former.id }).update({ ended_at: new Date() })
    const upcoming = await createAppointment(client, clinician, { startsAt: DateTime.fromISO('2099-03-03T20:30:00Z') })
    const past = await createAppointment(client, otherProvider, {
      startsAt: DateTime.now().minus({ days: 10 }),
      status: 'no_show',
    })
    const { resource } = await createSharedResource([client])
    const { resource: unshared } = await createSharedResource([client])
    await db.from('resource_shares').where({ resource_id: unshared.id }).update({ revoked_at: new Date() })
    const web = await signIn(staff)

    const page = await web.get(`/clients/${client.id}`)
    assert.equal(page.status, 200)
    assert.include(page.text, `<h1>${client.firstName} ${client.lastName}</h1>`)
    assert.include(page.text, client.email!)
    assert.include(page.text, '(213) 555-0142')
    assert.include(page.text, '12 Harbor Way')
    assert.include(page.text, 'Madison, WI 53703')
    assert.include(page.text, 'Apr 12, 1990')
    assert.include(page.text, clinician.name)
    // Emergency contact and portal accounts
    assert.include(page.text, contact.name)
    assert.include(page.text, 'Sister')
    assert.include(page.text, self.displayName)
    assert.include(page.text, self.email)
    assert.include(page.text, former.displayName)
    assert.include(page.text, 'Authorized caregiver')
    assert.match(page.text, /Ended [A-Z][a-z]{2} \d/)
    assert.match(page.text, /id="portal-status">Active</)
    // Appointments in the practice's time zone (America/Chicago in tests), with their providers
    assert.include(page.text, 'Mar 3, 2099, 2:30 PM CST')
    assert.include(page.text, `datetime="${upcoming.startsAt.toUTC().toISO()}"`)
    assert.include(page.text, otherProvider.name)
    assert.include(page.text, `datetime="${past.startsAt.toUTC().toISO()}"`)
    assert.include(page.text, '>Missed<')
    // Live shares only
    assert.include(page.text, resource.title)
    assert.notInclude(page.text, unshared.title)

    const rows = await auditRows('staff.client.viewed', staff.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].client_id, client.id)
    assert.deepEqual(rows[0].detail, { clientId: client.id })
  })

  test('portal status: none, invited, disabled', async ({ assert }) => {
    const web = await signIn(await createStaff('admin'))
    const statusOf = async (client: Client) =>
      (await web.get(`/clients/${client.id}`)).text.match(/id="portal-status">([^<]+)</)?.[1]

    const nobody = await createClient()
    assert.equal(await statusOf(nobody), 'No portal access')

    const invited = await createClient()
    await db.table('portal_invitations').insert({
      client_id: invited.id,
      email: `${uniqueWord('invite')}@example.test`,
      relationship: 'self',
      token_hash: uniqueWord('hash'),
      expires_at: DateTime.now().plus({ hours: 72 }).toJSDate(),
    })
    const expired = await createClient()
    await db.table('portal_invitations').insert({
      client_id: expired.id,
      email: `${uniqueWord('invite')}@example.test`,
      relationship: 'self',
      token_hash: uniqueWord('hash'),
      expires_at: DateTime.now().minus({ hours: 1 }).toJSDate(),
    })
    assert.equal(await statusOf(invited), 'Invited')
    assert.equal(await statusOf(expired), 'No portal access')

    const disabled = await createClient()
    await createPortalAccount(disabled, 'self', { status: 'disabled' })
    assert.equal(await statusOf(disabled), 'Disabled')
  })

  test('an unknown client is a calm 404', async ({ assert }) => {
    const web = await signIn(await createStaff('admin'))
    const response = await web.get('/clients/999999999')
    assert.equal(response.status, 404)
  })
})

test.group('Staff clients: a clinician sees their own caseload only', () => {
  test('primary clients and clients whose appointments they provide; others are 404', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const colleague = await createStaff('clinician')
    const primary = await createClient({ primaryClinicianId: clinician.id })
    const provided = await createClient({ primaryClinicianId: colleague.id })
    await createAppointment(provided, clinician)
    const stranger = await createClient({ primaryClinicianId: colleague.id, phone: '+12135550199' })
    await createAppointment(stranger, colleague)
    const web = await signIn(clinician)

    const list = await web.get('/clients')
    assert.sameMembers(clientRows(list.text), [primary.id, provided.id])
    assert.notInclude(list.text, stranger.lastName)

    assert.equal((await web.get(`/clients/${primary.id}`)).status, 200)
    assert.equal((await web.get(`/clients/${provided.id}`)).status, 200)

    const page = await web.get(`/clients/${stranger.id}`)
    assert.equal(page.status, 404)
    assert.notInclude(page.text, stranger.lastName)
    const edit = await web.get(`/clients/${stranger.id}/edit`)
    assert.equal(edit.status, 404)
    assert.notInclude(edit.text, stranger.lastName)

    await web.get(`/clients/${primary.id}/edit`) // a fresh CSRF token
    const update = await web.post(`/clients/${stranger.id}`, formOf(stranger, { phone: '(608) 555-0100' }))
    assert.equal(update.status, 404)
    assert.equal((await Client.findOrFail(stranger.id)).phone, '+12135550199')
    assert.lengthOf(await db.from('audit_events').where({ action: 'staff.client.viewed', client_id: stranger.id }), 0)

    // Searching does not reach past the caseload either.
    const { list: searched } = await search(web, { term: stranger.lastName })
    assert.deepEqual(clientRows(searched.text), [])
  })

  test('a clinician edits their own client but cannot add clients or reassign them', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const colleague = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: clinician.id })
    const web = await signIn(clinician)

    const form = await web.get(`/clients/${client.id}/edit`)
    assert.equal(form.status, 200)
    assert.notInclude(form.text, 'name="primaryClinicianId"')

    const saved = await web.post(
      `/clients/${client.id}`,
      formOf(client, { city: 'Verona', primaryClinicianId: String(colleague.id) })
    )
    assert.equal(saved.location, `/clients/${client.id}`)
    const after = await Client.findOrFail(client.id)
    assert.equal(after.city, 'Verona')
    assert.equal(after.primaryClinicianId, clinician.id)

    assert.equal((await web.get('/clients/new')).status, 403)
    const before = await Client.query().where('lastName', 'Nobody').count('* as total').firstOrFail()
    const refused = await web.post('/clients', formOf(client, { lastName: 'Nobody' }))
    assert.equal(refused.status, 403)
    const afterCount = await Client.query().where('lastName', 'Nobody').count('* as total').firstOrFail()
    assert.equal(afterCount.$extras.total, before.$extras.total)
  })
})

test.group('Staff clients: add and edit', () => {
  test('support staff add a client: phone stored E.164, email lower-cased, audited', async ({ assert }) => {
    const staff = await createStaff('support_staff')
    const clinician = await createStaff('clinician')
    const surname = uniqueWord('Added')
    const web = await signIn(staff)

    const form = await web.get('/clients/new')
    assert.equal(form.status, 200)
    assert.include(form.text, '<h1>Add a client</h1>')
    assert.include(form.text, `<option value="${clinician.id}">${clinician.name}</option>`)

    const response = await web.post('/clients', {
      firstName: 'Robin',
      lastName: surname,
      preferredName: '',
      dateOfBirth: '2012-06-30',
      email: `Robin.${surname}@Example.TEST`,
      phone: '(608) 555-0134',
      addressLine1: '5 Lake St',
      addressLine2: '',
      city: 'Madison',
      region: 'WI',
      postalCode: '53703',
      status: 'active',
      primaryClinicianId: String(clinician.id),
    })
    const client = await Client.findByOrFail('lastName', surname)
    assert.equal(response.location, `/clients/${client.id}`)
    assert.equal(client.phone, '+16085550134')
    assert.equal(client.email, `robin.${surname.toLowerCase()}@example.test`)
    assert.equal(client.dateOfBirth?.toISODate(), '2012-06-30')
    assert.isNull(client.preferredName)
    assert.isNull(client.addressLine2)
    assert.equal(client.primaryClinicianId, clinician.id)

    const rows = await auditRows('staff.client.created', staff.id)
    assert.lengthOf(rows, 1)
    assert.deepEqual(rows[0].detail, { clientId: client.id })
    assert.notInclude(JSON.stringify(rows[0]), surname)

    const page = await web.follow(response)
    assert.include(page.text, `Robin ${surname} is added.`)
  })

  test('a bad date of birth and an invalid phone: errors by the fields, input kept, nothing saved', async ({ assert }) => {
    const staff = await createStaff('admin')
    const surname = uniqueWord('Kept')
    const web = await signIn(staff)
    await web.get('/clients/new')

    const future = DateTime.now().plus({ days: 2 }).toISODate()!
    const response = await web.post(
      '/clients',
      { firstName: 'Ada', lastName: surname, dateOfBirth: future, phone: '12', status: 'active', email: '', primaryClinicianId: '' },
      { referer: '/clients/new' }
    )
    assert.equal(response.status, 302)
    assert.equal(response.location, '/clients/new')
    const page = await web.follow(response)
    assert.include(page.text, 'Please check these')
    assert.match(page.text, /<p class="field-error" id="field-dateOfBirth-error">The date of birth cannot be in the future.<\/p>/)
    assert.match(page.text, /<p class="field-error" id="field-phone-error">Please enter a full phone number/)
    assert.include(page.text, 'href="#field-dateOfBirth"')
    assert.include(page.text, `value="${surname}"`)
    assert.include(page.text, 'value="12"')
    assert.lengthOf(await Client.query().where('lastName', surname), 0)

    await web.get('/clients/new')
    const malformed = await web.post(
      '/clients',
      { firstName: 'Ada', lastName: surname, dateOfBirth: '2001-02-30', status: 'active' },
      { referer: '/clients/new' }
    )
    const again = await web.follow(malformed)
    assert.match(again.text, /id="field-dateOfBirth-error">Please enter the date of birth as month\/day\/year, for example 04\/12\/1990/)
    assert.lengthOf(await Client.query().where('lastName', surname), 0)
    assert.lengthOf(await auditRows('staff.client.created', staff.id), 0)

    // Typed as the date input shows it (month/day/year, where a browser has no date picker): taken.
    const hint = (await web.get('/clients/new')).text.match(/id="field-dateOfBirth-hint">([^<]*)</)?.[1]
    assert.include(hint, 'Month/day/year, for example 04/12/1990')
    const typed = await web.post(
      '/clients',
      { firstName: 'Ada', lastName: surname, dateOfBirth: '4/12/1990', status: 'active' },
      { referer: '/clients/new' }
    )
    assert.match(typed.location ?? '', /^\/clients\/\d+$/)
    const created = await Client.query().where('lastName', surname).firstOrFail()
    assert.equal(created.dateOfBirth?.toISODate(), '1990-04-12')
  })

  test('an admin edits a client: changed fields audited by name, errors keep input', async ({ assert }) => {
    const staff = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const client = await createClient({ phone: '+12135550142', city: 'Madison' })
    const web = await signIn(staff)

    const form = await web.get(`/clients/${client.id}/edit`)
    assert.equal(form.status, 200)
    assert.include(form.text, 'value="(213) 555-0142"')
    assert.include(form.text, 'value="1990-04-12"')

    const invalid = await web.post(
      `/clients/${client.id}`,
      formOf(client, { phone: '555', city: 'Middleton' }),
      { referer: `/clients/${client.id}/edit` }
    )
    const withErrors = await web.follow(invalid)
    assert.include(withErrors.text, 'id="field-phone-error"')
    assert.include(withErrors.text, 'value="Middleton"')
    assert.equal((await Client.findOrFail(client.id)).city, 'Madison')

    const saved = await web.post(
      `/clients/${client.id}`,
      formOf(client, { phone: '(608) 555-0177', city: 'Middleton', primaryClinicianId: String(clinician.id) })
    )
    assert.equal(saved.location, `/clients/${client.id}`)
    const after = await Client.findOrFail(client.id)
    assert.equal(after.phone, '+16085550177')
    assert.equal(after.city, 'Middleton')
    assert.equal(after.primaryClinicianId, clinician.id)

    const rows = await auditRows('staff.client.updated', staff.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].detail.clientId, client.id)
    assert.sameMembers(rows[0].detail.fields.split(','), ['phone', 'city', 'primaryClinicianId'])
    assert.lengthOf(await auditRows('staff.client.status_changed', staff.id), 0)

    // Saving the same values changes and records nothing.
    await web.get(`/clients/${client.id}/edit`)
    await web.post(`/clients/${client.id}`, formOf(after))
    assert.lengthOf(await auditRows('staff.client.updated', staff.id), 1)
  })

  test('an inactive clinician is not offered, and cannot be chosen', async ({ assert }) => {
    const staff = await createStaff('admin')
    const gone = await createStaff('clinician', { isActive: false })
    const client = await createClient()
    const web = await signIn(staff)

    const form = await web.get(`/clients/${client.id}/edit`)
    assert.notInclude(form.text, `<option value="${gone.id}"`)
    const response = await web.post(
      `/clients/${client.id}`,
      formOf(client, { primaryClinicianId: String(gone.id) }),
      { referer: `/clients/${client.id}/edit` }
    )
    const page = await web.follow(response)
    assert.include(page.text, 'Please choose one of the listed clinicians.')
    assert.isNull((await Client.findOrFail(client.id)).primaryClinicianId)
  })
})

test.group('Staff clients: status and portal access', () => {
  test("discharging a client ends their portal user's access on the next request", async ({ assert }) => {
    const staff = await createStaff('admin')
    const client = await createClient()
    const account = await createPortalAccount(client, 'self')
    const portal = await signIn(account)
    assert.equal((await portal.get('/portal')).status, 200)

    const web = await signIn(staff)
    await web.get(`/clients/${client.id}/edit`)
    const saved: WebResponse = await web.post(`/clients/${client.id}`, formOf(client, { status: 'discharged' }))
    assert.equal(saved.location, `/clients/${client.id}`)
    assert.equal((await Client.findOrFail(client.id)).status, 'discharged')

    const changed = await auditRows('staff.client.status_changed', staff.id)
    assert.lengthOf(changed, 1)
    assert.equal(changed[0].client_id, client.id)
    assert.deepEqual(changed[0].detail, { clientId: client.id, from: 'active', to: 'discharged' })

    const next = await portal.get('/portal')
    assert.equal(next.status, 403)
    assert.include(next.text, 'Your portal access has changed')
    assert.include(next.text, 'no longer available through this account')
    assert.notInclude(next.text, client.lastName)

    const staffPage = await web.get(`/clients/${client.id}`)
    assert.match(staffPage.text, /id="portal-status">Disabled</)
    assert.include(staffPage.text, 'Portal access is suspended while the client is discharged.')
  })
})
