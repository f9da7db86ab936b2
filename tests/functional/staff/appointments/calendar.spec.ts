import { test } from '@japa/runner'
import { createAppointment, createClient, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { practiceNow } from '#support/practice_time'
import { local, practiceAt, selectedOf } from '#tests/functional/staff/appointments/helpers'

/*
| The Appointments calendar: a day by clinician or a week of one, today
| marked, statuses in words, free times linking to a prefilled booking form;
| a clinician's own column by default, a colleague's other clients as "Busy".
*/
const dayOf = (days: number) => practiceNow().startOf('day').plus({ days }).toISODate()!

test.group('Staff appointments: the calendar', () => {
  test('a clinician sees her own column by default; a colleague’s client outside her caseload is only "Busy"', async ({ assert }) => {
    const me = await createStaff('clinician', { name: 'Dr. Calendar Own' })
    const colleague = await createStaff('clinician', { name: 'Dr. Calendar Colleague' })
    const mine = await createClient({ primaryClinicianId: me.id })
    const theirs = await createClient({ primaryClinicianId: colleague.id })
    await createAppointment(mine, me, { startsAt: practiceAt(30, 9), status: 'scheduled' })
    await createAppointment(theirs, colleague, { startsAt: practiceAt(30, 10) })
    const web = await signIn(me)

    const page = await web.get(`/appointments/calendar?date=${dayOf(30)}`)
    assert.equal(page.status, 200)
    const header = page.text.slice(page.text.indexOf('<thead>'), page.text.indexOf('</thead>'))
    assert.include(header, 'Dr. Calendar Own')
    assert.notInclude(header, 'Dr. Calendar Colleague')
    assert.include(page.text, mine.lastName)
    assert.include(page.text, '>Scheduled</span>')

    const theirColumn = await web.get(`/appointments/calendar?date=${dayOf(30)}&provider=${colleague.id}`)
    assert.notInclude(theirColumn.text, theirs.lastName)
    assert.include(theirColumn.text, 'Busy <span class="visually-hidden">(a client outside your caseload)</span>')
  })

  test('a free time links to the booking form with the clinician and time filled in', async ({ assert }) => {
    const admin = await createStaff('admin')
    const clinician = await createStaff('clinician')
    const client = await createClient()
    await createAppointment(client, clinician, { startsAt: practiceAt(31, 9), endsAt: practiceAt(31, 10) })
    const web = await signIn(admin)

    const page = await web.get(`/appointments/calendar?date=${dayOf(31)}&provider=${clinician.id}`)
    const startsAt = practiceAt(31, 11)
    const link = `/appointments/new?provider=${clinician.id}&amp;startsAt=${encodeURIComponent(local(startsAt))}`
    assert.include(page.text, `href="${link}"`)
    // The booked hour is not offered.
    assert.notInclude(page.text, `startsAt=${encodeURIComponent(local(practiceAt(31, 9)))}"`)
    assert.notInclude(page.text, `startsAt=${encodeURIComponent(local(practiceAt(31, 9, 30)))}"`)

    const form = await web.get(link.replaceAll('&amp;', '&'))
    assert.equal(selectedOf(form.text, 'field-providerId'), String(clinician.id))
    assert.include(form.text, `value="${local(startsAt)}"`)
  })

  test('the week of one clinician marks today; htmx gets the grid alone; a wrong day is a calm 422', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: clinician.id })
    await createAppointment(client, clinician, { startsAt: practiceAt(0, 23, 0).minus({ hours: 20 }), status: 'completed' })
    const web = await signIn(await createStaff('support_staff'))

    const week = await web.get(`/appointments/calendar?view=week&provider=${clinician.id}`)
    assert.equal(week.status, 200)
    assert.include(week.text, 'aria-current="date"')
    assert.include(week.text, '>Attended</span>')
    assert.match(week.text, /<h2 id="calendar-heading">Week of /)

    const partial = await web.get(`/appointments/calendar?view=week&provider=${clinician.id}`, { 'hx-request': 'true' })
    assert.notInclude(partial.text, '<html')
    assert.include(partial.text, 'id="calendar"')

    const wrong = await web.get('/appointments/calendar?date=not-a-day')
    assert.equal(wrong.status, 422)
    assert.include(wrong.text, 'Please enter a date')
  })
})
