import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { createAppointment, createClient, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { browserForm } from '#tests/helpers/forms'
import { appointmentRows, practiceAt, uniqueWord } from '#tests/functional/staff/appointments/helpers'

/*
| Sortable staff tables: the column and direction in the URL next to the
| filters (never a name or a search term), aria-sort on the sorted header,
| and sorting and filtering keep each other.
*/
/** The href of a sortable header's link, as a browser reads it. */
function sortLink(html: string, label: string) {
  const match = html.match(new RegExp(`<th scope="col"[^>]*class="sortable">\\s*<a href="([^"]+)">${label}<`))
  return match ? match[1].replaceAll('&amp;', '&') : null
}

function clientRowIds(html: string) {
  return [...html.matchAll(/<th scope="row"><a href="\/clients\/(\d+)">/g)].map((match) => Number(match[1]))
}

test.group('Staff: sortable tables', () => {
  test('clients: sorting keeps the filters and the search; searching keeps the sort; no term in any URL', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const surname = uniqueWord('Sortby')
    const older = await createClient({ lastName: `${surname}b`, primaryClinicianId: clinician.id, dateOfBirth: DateTime.fromISO('1970-01-01') })
    const younger = await createClient({ lastName: `${surname}a`, primaryClinicianId: clinician.id, dateOfBirth: DateTime.fromISO('2001-01-01') })
    const web = await signIn(await createStaff('admin'))

    const filtered = await web.get(`/clients?clinician=${clinician.id}&status=active`)
    assert.deepEqual(clientRowIds(filtered.text), [younger.id, older.id])
    assert.include(filtered.text, 'aria-sort="ascending"')
    const byBirth = sortLink(filtered.text, 'Date of birth')
    assert.equal(byBirth, `/clients?status=active&clinician=${clinician.id}&sort=dateOfBirth&dir=asc`)

    const sorted = await web.get(byBirth!)
    assert.deepEqual(clientRowIds(sorted.text), [older.id, younger.id])
    assert.match(sorted.text, /<th scope="col" aria-sort="ascending" class="sortable">\s*<a href="[^"]*">Date of birth<span class="visually-hidden">, sort by date of birth, descending<\/span><span class="sort-arrow" aria-hidden="true"> ▲<\/span><\/a>/)
    assert.notInclude(sorted.text, '@if(')

    // Searching (posted) keeps the order and the filters; the term stays out of the URL.
    const search = browserForm(sorted.text, '/clients/search')
    const searched = await web.send({ ...search, entries: search.entries.map(([name, value]) => [name, name === 'term' ? surname : value]) })
    assert.equal(searched.location, `/clients?status=active&clinician=${clinician.id}&sort=dateOfBirth&dir=asc`)
    const page = await web.follow(searched)
    assert.deepEqual(clientRowIds(page.text), [older.id, younger.id])
    const reversed = sortLink(page.text, 'Date of birth')
    assert.include(reversed!, 'dir=desc')
    assert.notInclude(reversed!.toLowerCase(), surname.toLowerCase())
    assert.deepEqual(clientRowIds((await web.get(reversed!)).text), [younger.id, older.id])
  })

  test('appointments: sorting keeps the days and the clinician; the week links and filters keep the sort', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const [zed, amy] = [await createClient({ lastName: uniqueWord('Zed') }), await createClient({ lastName: uniqueWord('Amy') })]
    const early = await createAppointment(zed, clinician, { startsAt: practiceAt(300, 9) })
    const late = await createAppointment(amy, clinician, { startsAt: practiceAt(300, 15) })
    const day = practiceAt(300, 0).toISODate()!
    const web = await signIn(await createStaff('support_staff'))

    const list = await web.get(`/appointments?from=${day}&to=${day}&provider=${clinician.id}`)
    assert.deepEqual(appointmentRows(list.text), [early.id, late.id])
    const byClient = sortLink(list.text, 'Client')
    assert.equal(byClient, `/appointments?from=${day}&to=${day}&provider=${clinician.id}&sort=client&dir=asc`)
    const sorted = await web.get(byClient!)
    assert.deepEqual(appointmentRows(sorted.text), [late.id, early.id])
    assert.match(sorted.text, /aria-sort="ascending" class="sortable">\s*<a href="[^"]*">Client/)
    assert.match(sorted.text, /Next week<\/a>/)
    assert.include(sorted.text.match(/<a href="([^"]+)" data-hx-get="[^"]+">Next week/)![1], 'sort=client&amp;dir=asc')
    const form = browserForm(sorted.text, '/appointments')
    assert.deepInclude(form.entries, ['sort', 'client'])
    assert.deepInclude(form.entries, ['provider', String(clinician.id)])

    const wrong = await web.get(`/appointments?from=${day}&to=${day}&sort=clients.last_name`)
    assert.equal(wrong.status, 422)
  })
})
