import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import { audit } from '#services/audit'
import { WebSession } from '#tests/helpers/web'
import { browserForm, withChanges } from '#tests/helpers/forms'
import { createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'

/*
| Every test records events under its own action names (and, for old
| events, its own days), so rows of other tests never change what it sees.
*/
let counter = 0
const uniqueAction = (label: string) =>
  `test_${label}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`

/** How many table rows show this action (the select lists it too, as an option). */
function rowsWith(html: string, action: string) {
  return html.split(`<code>${action}</code>`).length - 1
}

/** The href of the link with this text, as a browser would read it. */
function linkTo(html: string, text: string) {
  const match = html.match(new RegExp(`<a href="([^"]+)"[^>]*>${text}</a>`))
  return match ? match[1].replaceAll('&amp;', '&') : null
}

async function recordOn(occurredAt: DateTime, action: string, extra: Record<string, unknown> = {}) {
  await db.table('audit_events').insert({
    occurred_at: occurredAt.toJSDate(),
    actor_kind: 'system',
    action,
    detail: JSON.stringify({}),
    ...extra,
  })
}

const page = (query: Record<string, string | number>) =>
  `/audit-log?${new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]))}`

test.group('Staff: audit log access', () => {
  for (const role of ['ceo', 'admin'] as const) {
    test(`a ${role} sees the audit log`, async ({ assert }) => {
      const action = uniqueAction(role)
      await audit(null, { action, actorKind: 'system', detail: { note: 'seen' } })
      const web = await signIn(await createStaff(role))

      const response = await web.get('/audit-log')
      assert.equal(response.status, 200)
      assert.include(response.text, '<h1>Audit log</h1>')
      assert.equal(rowsWith(response.text, action), 1)
      // Details as a short list of labels and values, not JSON; the time column sorted newest first.
      assert.include(response.text, '<span class="audit-detail-label">Note:</span> seen')
      assert.match(response.text, /<table class="audit-table">\s*<caption id="audit-events-caption">/)
      assert.include(response.text, '<th scope="col" aria-sort="descending" class="sortable">')
    })
  }

  for (const role of ['support_staff', 'clinician'] as const) {
    test(`a ${role} gets the calm 403 page`, async ({ assert }) => {
      const action = uniqueAction(role)
      await audit(null, { action, actorKind: 'system' })
      const web = await signIn(await createStaff(role))

      const response = await web.get('/audit-log')
      assert.equal(response.status, 403)
      assert.include(response.text, 'This page is not available to you')
      assert.notInclude(response.text, action)
    })
  }

  test('a visitor who is not signed in is sent to the staff sign-in', async ({ assert }) => {
    const response = await new WebSession().get('/audit-log')
    assert.equal(response.status, 302)
    assert.equal(response.location, '/login')
  })

  test('a signed-in portal user is sent back into the portal', async ({ assert }) => {
    const web = await signIn(await createPortalAccount(await createClient()))
    const response = await web.get('/audit-log')
    assert.equal(response.status, 302)
    assert.equal(response.location, '/portal')
  })
})

test.group('Staff: audit log filters', () => {
  test('the client filter narrows to that client and shows its name', async ({ assert }) => {
    const action = uniqueAction('client')
    const [mine, other] = [await createClient(), await createClient()]
    await audit(null, { action, actorKind: 'system', clientId: mine.id })
    await audit(null, { action, actorKind: 'system', clientId: other.id })
    const web = await signIn(await createStaff('ceo'))

    assert.equal(rowsWith((await web.get(page({ action }))).text, action), 2)
    const response = await web.get(page({ action, clientId: mine.id }))
    assert.equal(response.status, 200)
    assert.equal(rowsWith(response.text, action), 1)
    assert.include(response.text, `The system test client`)
    assert.include(response.text, `(${mine.fullName}).`)
    assert.notInclude(response.text, other.fullName)
    // The chosen client shows in the filter's picker, told apart by date of birth and masked email.
    assert.include(response.text, `name="clientId" value="${mine.id}" checked>`)
  })

  test('the actor filter narrows by kind and id, with names from their tables', async ({ assert }) => {
    const action = uniqueAction('actor')
    const [actingStaff, otherStaff] = [await createStaff('support_staff'), await createStaff('clinician')]
    const account = await createPortalAccount(await createClient())
    await audit(null, { action, actorKind: 'staff', actorId: actingStaff.id })
    await audit(null, { action, actorKind: 'staff', actorId: otherStaff.id })
    await audit(null, { action, actorKind: 'client_user', actorId: account.id })
    await audit(null, { action, actorKind: 'anonymous' })
    const web = await signIn(await createStaff('admin'))

    const all = await web.get(page({ action }))
    assert.equal(rowsWith(all.text, action), 4)
    assert.include(all.text, actingStaff.name)
    assert.include(all.text, account.displayName)

    const staffOnly = await web.get(page({ action, actorKind: 'staff' }))
    assert.equal(rowsWith(staffOnly.text, action), 2)

    const oneStaff = await web.get(page({ action, actorKind: 'staff', actorId: actingStaff.id }))
    assert.equal(rowsWith(oneStaff.text, action), 1)
    const table = oneStaff.text.slice(oneStaff.text.indexOf('<tbody>'))
    assert.include(table, actingStaff.name)
    assert.notInclude(table, otherStaff.name)
    // A staff member chosen without the kind of actor is a staff member.
    assert.equal(rowsWith((await web.get(page({ action, actorId: actingStaff.id }))).text, action), 1)

    const portal = await web.get(page({ action, actorKind: 'client_user' }))
    assert.equal(rowsWith(portal.text, action), 1)
    assert.include(portal.text, account.displayName)

    const anonymous = await web.get(page({ action, actorKind: 'anonymous' }))
    assert.equal(rowsWith(anonymous.text, action), 1)
  })

  test('the filter form submitted as a browser sends it (empty fields included) filters', async ({ assert }) => {
    const action = uniqueAction('browser_form')
    const client = await createClient()
    await audit(null, { action, actorKind: 'system', clientId: client.id })
    await audit(null, { action, actorKind: 'anonymous' })
    const web = await signIn(await createStaff('ceo'))

    const untouched = browserForm((await web.get('/audit-log')).text, '/audit-log')
    assert.equal(untouched.method, 'GET')
    assert.deepEqual(
      untouched.entries.map(([name]) => name),
      ['from', 'to', 'actorKind', 'actorId', 'action', 'clientId']
    )
    // The day range comes prefilled; every other filter is sent empty, as a browser sends it.
    assert.deepEqual(
      untouched.entries.filter(([name]) => !['from', 'to'].includes(name)).map(([, value]) => value),
      ['', '', '', '']
    )
    const asIs = await web.send(untouched)
    assert.equal(asIs.status, 200)
    assert.notInclude(asIs.text, 'error-summary')

    const byAction = await web.send(withChanges(untouched, { action }))
    assert.equal(byAction.status, 200)
    assert.equal(rowsWith(byAction.text, action), 2)

    const byKind = await web.send(withChanges(browserForm(byAction.text, '/audit-log'), { actorKind: 'system' }))
    assert.equal(byKind.status, 200)
    assert.equal(rowsWith(byKind.text, action), 1)

    const byClient = await web.send(withChanges(untouched, { action, clientId: String(client.id) }))
    assert.equal(byClient.status, 200)
    assert.equal(rowsWith(byClient.text, action), 1)

    // A staff member alone is enough: the kind is staff.
    const staffAlone = await web.send(withChanges(untouched, { actorId: '3' }))
    assert.equal(staffAlone.status, 200)
  })

  test('the action filter takes an exact action or a family prefix', async ({ assert }) => {
    const family = `${uniqueAction('family')}.`
    const [first, second] = [`${family}first`, `${family}second`]
    await audit(null, { action: first, actorKind: 'system' })
    await audit(null, { action: second, actorKind: 'system' })
    const web = await signIn(await createStaff('ceo'))

    const exact = await web.get(page({ action: first }))
    assert.equal(rowsWith(exact.text, first), 1)
    assert.equal(rowsWith(exact.text, second), 0)
    assert.include(exact.text, `<option value="${first}" selected>`)

    const prefix = await web.get(page({ action: family }))
    assert.equal(rowsWith(prefix.text, first), 1)
    assert.equal(rowsWith(prefix.text, second), 1)
    assert.include(prefix.text, `<option value="${family}" selected>`)
  })

  test('the date range is whole days in the practice time zone', async ({ assert }) => {
    const action = uniqueAction('days')
    const at = (local: string) => DateTime.fromISO(local, { zone: practice.timeZone })
    await recordOn(at('2003-05-10T00:00:00'), action, { detail: JSON.stringify({ n: 'first-minute' }) })
    await recordOn(at('2003-05-10T23:59:00'), action, { detail: JSON.stringify({ n: 'last-minute' }) })
    await recordOn(at('2003-05-11T00:00:00'), action, { detail: JSON.stringify({ n: 'next-day' }) })
    await recordOn(at('2003-05-09T23:59:59'), action, { detail: JSON.stringify({ n: 'day-before' }) })
    const web = await signIn(await createStaff('ceo'))

    const day = await web.get(page({ action, from: '2003-05-10', to: '2003-05-10' }))
    assert.equal(rowsWith(day.text, action), 2)
    assert.include(day.text, 'first-minute')
    assert.include(day.text, 'last-minute')
    assert.notInclude(day.text, 'next-day')
    assert.notInclude(day.text, 'day-before')

    assert.equal(rowsWith((await web.get(page({ action, from: '2003-05-09', to: '2003-05-11' }))).text, action), 4)
    // By default the page shows the last seven days only.
    assert.equal(rowsWith((await web.get(page({ action }))).text, action), 0)
  })

  test('pages of 50, newest first, with links that keep the filters', async ({ assert }) => {
    const action = uniqueAction('pages')
    const start = DateTime.now().minus({ hours: 2 })
    for (let i = 0; i < 51; i++) {
      await recordOn(start.plus({ seconds: i }), action, { detail: JSON.stringify({ n: `row-${i}-end` }) })
    }
    const web = await signIn(await createStaff('admin'))

    const first = await web.get(page({ action }))
    assert.equal(rowsWith(first.text, action), 50)
    assert.include(first.text, 'row-50-end')
    assert.notInclude(first.text, 'row-0-end')
    assert.isNull(linkTo(first.text, 'Newer events'))
    const older = linkTo(first.text, 'Older events')
    assert.isNotNull(older)
    assert.include(older!, `action=${action}`)
    assert.include(older!, 'page=2')

    const second = await web.get(older!)
    assert.equal(second.status, 200)
    assert.equal(rowsWith(second.text, action), 1)
    assert.include(second.text, 'row-0-end')
    assert.include(second.text, 'Page 2 of 2')
    assert.include(linkTo(second.text, 'Newer events')!, 'page=1')
  })

  test('a bad filter gets a calm message next to its field, and no events', async ({ assert }) => {
    const web = await signIn(await createStaff('ceo'))

    const response = await web.get(page({ from: '2024-02-30' }))
    assert.equal(response.status, 422)
    assert.include(response.text, 'id="filter-from-error"')
    assert.include(response.text, 'Please enter a date as month/day/year, for example 03/02/2026.')
    assert.match(response.text, /id="filter-from"[^>]*aria-invalid="true"/)
    assert.include(response.text, 'href="#filter-from"')
    assert.include(response.text, 'value="2024-02-30"')
    assert.notInclude(response.text, '<table')

    const backwards = await web.get(page({ from: '2024-03-10', to: '2024-03-01' }))
    assert.equal(backwards.status, 422)
    assert.include(backwards.text, 'id="filter-to-error"')
    assert.include(backwards.text, 'The end date is before the start date')

    const actorIdAlone = await web.get(page({ actorId: 'three' }))
    assert.equal(actorIdAlone.status, 422)
    assert.include(actorIdAlone.text, 'Choose one of the listed staff members')
  })

  test('opening the log is itself audited, with the filter names but not their values', async ({ assert }) => {
    const viewer = await createStaff('ceo')
    const client = await createClient()
    const action = uniqueAction('watched')
    const web = await signIn(viewer)

    const response = await web.get(page({ clientId: client.id, action, from: '2020-01-01' }))
    assert.equal(response.status, 200)

    const views = await db
      .from('audit_events')
      .where('action', 'staff.audit_log.viewed')
      .where('actor_id', viewer.id)
    assert.lengthOf(views, 1)
    assert.equal(views[0].actor_kind, 'staff')
    assert.equal(views[0].client_id, client.id)
    assert.deepEqual(views[0].detail, { filters: 'from,clientId,action', page: 1 })
    assert.notInclude(JSON.stringify(views[0].detail), action)

    // A bad filter shows no events, so it records no view.
    await web.get(page({ from: 'nope' }))
    const after = await db.from('audit_events').where('action', 'staff.audit_log.viewed').where('actor_id', viewer.id)
    assert.lengthOf(after, 1)
  })
})

test.group('Staff: the readable audit log, sorting and its CSV', () => {
  test('events read as sentences with names: who did what to whom', async ({ assert }) => {
    const staff = await createStaff('support_staff', { name: 'Alex Rivera' })
    const client = await createClient({ firstName: 'Sam', lastName: uniqueAction('Lee') })
    const account = await createPortalAccount(client, 'self', { displayName: 'Sam' })
    await audit(null, { action: 'staff.client.viewed', actorKind: 'staff', actorId: staff.id, clientId: client.id, detail: { clientId: client.id } })
    await audit(null, { action: 'portal.appointments.viewed', actorKind: 'client_user', actorId: account.id, clientId: client.id, detail: { tab: 'upcoming', page: 1 } })
    const web = await signIn(await createStaff('ceo'))

    const response = await web.get(page({ clientId: client.id }))
    assert.include(response.text, `Alex Rivera opened the record of ${client.fullName}.`)
    assert.include(response.text, `Sam (portal) viewed the appointments of ${client.fullName}.`)
    assert.include(response.text, '<span class="audit-detail-label">Tab:</span> upcoming')
    assert.include(response.text, `<span class="audit-detail-label">Client:</span> ${client.fullName} (#${client.id})`)
  })

  test('sorting is in the URL (column and direction only) and keeps the filters; the filters keep the sort', async ({ assert }) => {
    const family = `${uniqueAction('sort')}.`
    await recordOn(DateTime.now().minus({ minutes: 2 }), `${family}b_older`)
    await recordOn(DateTime.now().minus({ minutes: 1 }), `${family}a_newer`)
    const web = await signIn(await createStaff('admin'))

    const newest = await web.get(page({ action: family }))
    assert.isBelow(newest.text.indexOf(`${family}a_newer`, newest.text.indexOf('<tbody>')), newest.text.indexOf(`${family}b_older`, newest.text.indexOf('<tbody>')))
    const byTime = newest.text.match(/<th scope="col" aria-sort="descending" class="sortable">\s*<a href="([^"]+)">When/)?.[1].replaceAll('&amp;', '&') ?? null
    assert.isNotNull(byTime)
    assert.include(byTime!, `action=${encodeURIComponent(family)}`)
    assert.include(byTime!, 'sort=time&dir=asc')

    const oldest = await web.get(byTime!)
    assert.include(oldest.text, 'aria-sort="ascending"')
    const body = oldest.text.slice(oldest.text.indexOf('<tbody>'))
    assert.isBelow(body.indexOf(`${family}b_older`), body.indexOf(`${family}a_newer`))
    // The filter form carries the sort along.
    const form = browserForm(oldest.text, '/audit-log')
    assert.deepInclude(form.entries, ['sort', 'time'])
    assert.deepInclude(form.entries, ['dir', 'asc'])
    assert.deepInclude(form.entries, ['action', family])

    const byAction = await web.get(page({ action: family, sort: 'action', dir: 'asc' }))
    const rows = byAction.text.slice(byAction.text.indexOf('<tbody>'))
    assert.isBelow(rows.indexOf(`${family}a_newer`), rows.indexOf(`${family}b_older`))

    const wrong = await web.get(page({ action: family, sort: 'client_name' }))
    assert.equal(wrong.status, 422)
  })

  test('the CSV of a filtered view holds exactly its rows, with the columns of audit:export, formula-safe, and is audited', async ({ assert }) => {
    const action = uniqueAction('csv')
    const [mine, other] = [await createClient(), await createClient()]
    const staff = await createStaff('clinician')
    await recordOn(DateTime.now().minus({ minutes: 1 }), action, { actor_kind: 'staff', actor_id: staff.id, client_id: mine.id, user_agent: '=cmd()' })
    await audit(null, { action, actorKind: 'staff', actorId: staff.id, clientId: mine.id, detail: { fields: 'status' } })
    await audit(null, { action, actorKind: 'system', clientId: mine.id })
    await audit(null, { action, actorKind: 'staff', actorId: staff.id, clientId: other.id })
    await audit(null, { action: `${action}_other`, actorKind: 'staff', actorId: staff.id, clientId: mine.id })
    const ceo = await createStaff('ceo')
    const web = await signIn(ceo)

    const view = await web.get(page({ action, clientId: mine.id, actorKind: 'staff' }))
    assert.equal(rowsWith(view.text, action), 2)
    const exportLink = linkTo(view.text, 'Download these events \\(CSV\\)')
    assert.isNotNull(exportLink)
    const csv = await web.get(exportLink!)
    assert.equal(csv.status, 200)
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/)
    assert.match(csv.headers.get('content-disposition') ?? '', /^attachment; filename="audit-log-/)
    const lines = csv.text.split('\r\n').filter(Boolean)
    assert.equal(lines[0], 'id,occurred_at,actor_kind,actor_id,client_id,action,ip,user_agent,detail')
    const expected = await db.from('audit_events').where({ action, client_id: mine.id, actor_kind: 'staff' }).select('id').orderBy('id')
    assert.deepEqual(lines.slice(1).map((line) => Number(line.split(',')[0])), expected.map((row) => Number(row.id)))
    assert.include(lines[1], `,staff,${staff.id},${mine.id},${action},`)
    // A value a spreadsheet would run is defused by the shared CSV writer.
    assert.include(lines[1], `,'=cmd(),`)

    const [exported] = await db.from('audit_events').where({ action: 'staff.audit_log.exported', actor_id: ceo.id })
    assert.equal(exported.client_id, mine.id)
    assert.deepEqual(exported.detail.filters, 'from,to,clientId,actorKind,action')

    // Only ceo and admin.
    const support = await signIn(await createStaff('support_staff'))
    assert.equal((await support.get(exportLink!)).status, 403)
  })
})
