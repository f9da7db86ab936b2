import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { parseDocument } from 'htmlparser2'
import type { ChildNode, Element } from 'domhandler'
import practice from '#config/practice'
import PracticeSetting from '#models/practice_setting'
import { issueAppointmentActionLink } from '#actions/appointment_actions/issue_appointment_action_link'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { acceptOverHttp, auditRows, invite, pathOf } from '#tests/helpers/onboarding'
import { sessionIdOf, signIn, signInThroughForm } from '#tests/helpers/sign_in'
import { WebSession } from '#tests/helpers/web'

/*
| "Leave this site" without JavaScript (issue #18 item 1): the link on every
| portal page, public or signed in, right after the skip link; GET
| /portal/leave ends the session for good, asks the browser to drop the
| site's data, and goes to the practice's neutral address and nowhere else.
*/
const DEFAULT_EXIT = 'https://www.weather.com/'

/** What Tab reaches, in document order: links, buttons, form controls, tabindex ≥ 0. */
function focusable(html: string) {
  const found: Element[] = []
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type !== 'tag') continue
      const { name, attribs } = node
      const tabindex = attribs.tabindex === undefined ? null : Number(attribs.tabindex)
      const natural =
        (name === 'a' && attribs.href !== undefined) ||
        (['button', 'select', 'textarea'].includes(name) && attribs.disabled === undefined) ||
        (name === 'input' && attribs.type !== 'hidden' && attribs.disabled === undefined)
      if ((natural && (tabindex === null || tabindex >= 0)) || (tabindex !== null && tabindex >= 0)) found.push(node)
      visit(node.children)
    }
  }
  visit(parseDocument(html).children)
  return found
}

const textOf = (node: ChildNode): string =>
  node.type === 'text' ? node.data : node.type === 'tag' ? node.children.map(textOf).join('') : ''

/** Problems with a page's first two stops: the skip link, then "Leave this site". */
function firstStopsProblems(html: string) {
  const [skip, exit] = focusable(html)
  const problems: string[] = []
  if (skip?.attribs.class !== 'skip-link') problems.push(`the first stop is ${skip ? textOf(skip).trim() : 'missing'}`)
  if (!exit || exit.attribs.href !== '/portal/leave' || textOf(exit).trim() !== 'Leave this site') {
    problems.push(`the second stop is ${exit ? `${textOf(exit).trim()} (${exit.attribs.href})` : 'missing'}`)
  }
  return problems
}

async function setExitUrl(url: string) {
  await db.from('practice_settings').where('id', 1).update({ quick_exit_url: url })
  PracticeSetting.forget()
}

test.group('Quick exit: the link', () => {
  test('every portal page, signed in and public, offers "Leave this site" right after the skip link', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const client = await createClient()
    const appointment = await createAppointment(client, provider)
    const account = await createPortalAccount(client, 'self')
    const found: Record<string, string[]> = {}
    const check = async (web: WebSession, path: string, status = 200) => {
      const response = await web.get(path)
      assert.equal(response.status, status, `${path}: ${response.status} ${response.location ?? ''}`)
      const problems = firstStopsProblems(response.text)
      if (problems.length) found[path] = problems
    }

    const signedIn = await signIn(account)
    for (const path of ['/portal', '/portal/appointments', `/portal/appointments/${appointment.id}`, '/portal/resources', '/portal/account']) {
      await check(signedIn, path)
    }
    await check(signedIn, '/portal/safety')

    const visitor = new WebSession()
    // The portal's public entry page too (the public layout, with the script).
    await check(visitor, '/')
    const landing = await visitor.get('/')
    assert.include(landing.text, '<script src="/js/quick_exit.js')
    for (const path of ['/portal/login', '/portal/forgot-password', '/portal/forgot-password/sent', '/portal/safety']) {
      await check(visitor, path)
    }
    await check(visitor, '/portal/reset-password/not-a-real-token', 404)
    await check(visitor, '/portal/no-such-page', 404)
    const actionLink = await issueAppointmentActionLink({ appointmentId: appointment.id, recipient: { clientUserId: account.id } })
    await check(visitor, pathOf(actionLink!))

    // The invitation and the onboarding steps after it.
    const invited = await invite(await createClient())
    const newcomer = new WebSession()
    await check(newcomer, invited.path)
    await acceptOverHttp(invited.path, undefined, newcomer)
    await check(newcomer, '/portal/onboarding/verify')

    assert.deepEqual(found, {})
  })

  test('the help page is public, linked from the footer, and says what quick exit does not do', async ({ assert }) => {
    const visitor = new WebSession()
    const login = await visitor.get('/portal/login')
    assert.match(login.text, /<footer[\s\S]*href="\/portal\/safety"[\s\S]*<\/footer>/)

    const page = await visitor.get('/portal/safety')
    assert.equal(page.status, 200)
    assert.equal(page.headers.get('cache-control'), 'no-store')
    assert.include(page.text, 'It does not erase your browser history')
    assert.include(page.text, 'weather.com')
    assert.include(page.text, `href="tel:`)
    assert.include(page.text, practice.crisisLineText)

    const spanish = await new WebSession().get('/portal/safety', { 'accept-language': 'es' })
    assert.include(spanish.text, 'No borra el historial de su navegador')
    assert.include(spanish.text, 'Salir de este sitio')
  })
})

test.group('Quick exit: GET /portal/leave', (group) => {
  group.each.teardown(() => setExitUrl(DEFAULT_EXIT))

  test('ends the portal session for good: the old cookie replayed afterwards is signed out', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    const web = await signInThroughForm(account)
    assert.equal((await web.get('/portal')).status, 200)
    const oldCookies = new Map(web.cookies)
    const oldSessionId = await sessionIdOf(web)

    const response = await web.get('/portal/leave')
    assert.equal(response.status, 303)
    assert.equal(response.location, DEFAULT_EXIT)
    assert.equal(response.headers.get('clear-site-data'), '"cache", "cookies"')
    assert.equal(response.headers.get('cache-control'), 'no-store')
    assert.equal(response.text, '', 'the answer says nothing, not even where it goes')
    const stored = await db.connection('machinery').from('sessions').where('id', oldSessionId!).first()
    assert.isNotOk(stored, 'the session row is gone')

    // The browser may not honour Clear-Site-Data: the old cookie, replayed, opens nothing.
    const replay = new WebSession()
    replay.cookies = oldCookies
    const again = await replay.get('/portal')
    assert.equal(again.status, 302)
    assert.equal(again.location, '/portal/login')
    assert.equal((await replay.get('/portal/account')).location, '/portal/login')

    const events = await auditRows('portal.quick_exit', { actor_id: account.id })
    assert.lengthOf(events, 1)
    assert.equal(events[0].actor_kind, 'client_user')
    assert.deepEqual(events[0].detail, {})
  })

  test('goes to the configured address only, whatever the request asks', async ({ assert }) => {
    await setExitUrl('https://duckduckgo.com/?q=weather')
    const account = await createPortalAccount(await createClient())
    const web = await signIn(account)
    const response = await web.get('/portal/leave?next=https://evil.example/&url=https://evil.example/&back=//evil.example', {
      referer: 'https://evil.example/',
      'x-forwarded-host': 'evil.example',
    })
    assert.equal(response.status, 303)
    assert.equal(response.location, 'https://duckduckgo.com/?q=weather')
    assert.equal((await web.get('/portal')).location, '/portal/login', 'and the session ended all the same')
  })

  test('works for a visitor with no session, and records nothing', async ({ assert }) => {
    const before = Number((await db.connection('machinery').from('audit_events').where('action', 'portal.quick_exit').count('* as n'))[0].n)
    const visitor = new WebSession()
    const response = await visitor.get('/portal/leave')
    assert.equal(response.status, 303)
    assert.equal(response.location, DEFAULT_EXIT)
    assert.equal(response.headers.get('clear-site-data'), '"cache", "cookies"')
    assert.equal(response.headers.get('cache-control'), 'no-store')
    // From a public page, with a session that holds only a CSRF secret, too.
    await visitor.get('/portal/login')
    assert.equal((await visitor.get('/portal/leave')).location, DEFAULT_EXIT)
    const after = Number((await db.connection('machinery').from('audit_events').where('action', 'portal.quick_exit').count('* as n'))[0].n)
    assert.equal(after, before)
  })

  test('a newcomer in onboarding leaves too', async ({ assert }) => {
    const invited = await invite(await createClient())
    const { web } = await acceptOverHttp(invited.path)
    assert.equal((await web.get('/portal/onboarding/verify')).status, 200)
    const response = await web.get('/portal/leave')
    assert.equal(response.location, DEFAULT_EXIT)
    assert.equal((await web.get('/portal/onboarding/verify')).location, '/portal/login')
  })

  test('only GET: a form post cannot use it', async ({ assert }) => {
    const web = await signIn(await createPortalAccount(await createClient()))
    await web.get('/portal')
    const response = await web.post('/portal/leave', {})
    assert.equal(response.status, 404)
    assert.equal((await web.get('/portal')).status, 200, 'still signed in')
  })
})
