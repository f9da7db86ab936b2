import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { DomUtils, parseDocument } from 'htmlparser2'
import type { Element } from 'domhandler'
import { isPortalPath } from '#services/surfaces'
import { createAppointment, createClient, createSharedResource, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import ResourceCategory from '#models/resource_category'
import AppointmentType from '#models/appointment_type'
import WaitlistEntry from '#models/waitlist_entry'

/*
| Issue #23: every staff page has a page header (components/ui/page_header.edge)
| holding its title, the page's one <h1>, and its main action if it has one.
| Every GET route of the staff side is opened, as a practice owner and as
| support staff (whose two-factor setup page opens); each page drawn with the
| staff layout must have exactly one <h1>, inside the page header. A new GET
| route is checked without a line here; one that draws no staff page must be
| named in NOT_STAFF_PAGES with the reason.
*/
const NOT_STAFF_PAGES: Record<string, string> = {
  'GET /': 'the public landing page',
  'GET /health': 'JSON',
  'GET /login': 'sign-in (public layout; a signed-in person is sent to the dashboard)',
  'GET /login/two-factor': 'sign-in step (public layout)',
  'GET /forgot-password': 'public layout',
  'GET /forgot-password/sent': 'public layout',
  'GET /reset-password/:token': 'public layout',
  'GET /staff/invitations/:token': 'public layout',
  'GET /resource-library/:id/download': 'a file',
  'GET /insights/export.csv': 'CSV',
  'GET /audit-log/export': 'CSV',
  'GET /dev/mailbox': 'development only',
  'GET /dev/mailbox/:id': 'development only',
  'GET /dev/mailbox/:id/raw': 'development only',
}

function staffSideGetRoutes() {
  return router
    .toJSON()
    .root.filter((route) => !isPortalPath(route.pattern) && route.methods.includes('GET'))
    .map((route) => route.pattern)
}

/** What is wrong with this page's heading, or null: exactly one <h1>, the child of the page header. */
function headerProblem(html: string) {
  const document = parseDocument(html)
  const headings = DomUtils.findAll((element) => element.name === 'h1', document.children)
  if (headings.length !== 1) return `${headings.length} <h1> elements`
  const parent = headings[0].parent as Element | null
  const classes = (parent?.attribs?.class ?? '').split(/\s+/)
  if (!classes.includes('page-header')) return `its <h1> is not in the page header`
  const headers = DomUtils.findAll((element) => (element.attribs.class ?? '').split(/\s+/).includes('page-header'), document.children)
  if (headers.length !== 1) return `${headers.length} page headers`
  return null
}

test.group('Staff page headers', () => {
  test('every staff page has one page header holding its one <h1>', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: provider.id })
    const appointment = await createAppointment(client, provider)
    const waiting = await WaitlistEntry.create({ clientId: client.id, providerId: provider.id, appointmentId: appointment.id })
    const { resource } = await createSharedResource([client])
    const category = await ResourceCategory.create({ name: `Headers ${Date.now()}`, position: 99 })
    const appointmentType = await AppointmentType.create({ name: `Headers type ${Date.now()}`, defaultMinutes: 30 })

    const idFor = (pattern: string, name: string) => {
      if (name === 'clientId' || pattern.startsWith('/clients/')) return client.id
      if (pattern.startsWith('/appointments/types/')) return appointmentType.id
      if (pattern.startsWith('/appointments/waitlist/')) return waiting.id
      if (pattern.startsWith('/appointments/')) return appointment.id
      if (pattern.startsWith('/resource-library/categories/')) return category.id
      if (pattern.startsWith('/resource-library/')) return resource.id
      if (pattern.startsWith('/staff/')) return provider.id
      throw new Error(`No fixture for :${name} in ${pattern}`)
    }

    const checked = new Set<string>()
    const problems: string[] = []
    for (const role of ['ceo', 'support_staff'] as const) {
      const web = await signIn(await createStaff(role))
      for (const pattern of staffSideGetRoutes()) {
        if (NOT_STAFF_PAGES[`GET ${pattern}`]) continue
        const url = pattern.replace(/:(\w+)/g, (_, name) => String(idFor(pattern, name)))
        const response = await web.get(url)
        if (response.status !== 200 || !response.text.includes('<body class="staff"')) continue
        checked.add(pattern)
        const problem = headerProblem(response.text)
        if (problem) problems.push(`${role} ${url}: ${problem}`)
      }
    }

    assert.deepEqual(problems, [], problems.join('\n'))
    // Every page route was drawn for one of them (none slipped through as a redirect or an error).
    const unchecked = staffSideGetRoutes().filter((pattern) => !NOT_STAFF_PAGES[`GET ${pattern}`] && !checked.has(pattern))
    assert.deepEqual(unchecked, [], `Not drawn as a staff page for ceo or support staff: ${unchecked.join(', ')}`)
    assert.isAtLeast(checked.size, 25)
  }).timeout(120_000)

  test('the header holds the main action, and a page without one has none', async ({ assert }) => {
    const ceo = await createStaff('ceo')
    const web = await signIn(ceo)
    const actionsOf = (html: string) => {
      const document = parseDocument(html, { decodeEntities: true })
      const [header] = DomUtils.findAll((element) => (element.attribs.class ?? '').split(/\s+/).includes('page-header'), document.children)
      return DomUtils.findAll((element) => element.name === 'a', header.children).map((link) => ({
        text: DomUtils.textContent(link).trim(),
        href: link.attribs.href,
      }))
    }

    assert.deepEqual(actionsOf((await web.get('/resource-library')).text), [{ text: 'Upload a resource', href: '/resource-library/new' }])
    assert.deepEqual(actionsOf((await web.get('/appointments')).text).map((a) => a.text), ['Book an appointment'])
    const insights = actionsOf((await web.get('/insights')).text)
    assert.lengthOf(insights, 1)
    assert.equal(insights[0].text, 'Download every table as CSV')
    assert.match(insights[0].href, /^\/insights\/export\.csv\?/)
    assert.deepEqual(actionsOf((await web.get('/appointments/waitlist')).text), [])
  }).timeout(60_000)
})
