import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Appointment from '#models/appointment'
import { practiceNow } from '#support/practice_time'
import { createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { appointmentRows, tableById } from '#tests/functional/staff/appointments/helpers'

test.group('Staff appointments: dashboard', () => {
  test('today and this week, in the practice time zone; a clinician sees their caseload only', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const colleague = await createStaff('clinician')
    const myClient = await createClient({ primaryClinicianId: clinician.id })
    const otherClient = await createClient({ primaryClinicianId: colleague.id })
    const today = practiceNow().startOf('day')
    // Another day of this week: tomorrow on a Monday, else yesterday.
    const otherDay = today.weekday === 1 ? today.plus({ days: 1 }) : today.minus({ days: 1 })
    const todayMine = await createAppointment(myClient, clinician, { startsAt: today.plus({ minutes: 10 }) })
    const weekMine = await createAppointment(myClient, clinician, { startsAt: otherDay.plus({ minutes: 20 }) })
    const todayOther = await createAppointment(otherClient, colleague, { startsAt: today.plus({ minutes: 10 }) })
    const nextWeek = await createAppointment(myClient, clinician, { startsAt: today.startOf('week').plus({ weeks: 1, hours: 1 }) })

    const mine = await (await signIn(clinician)).get('/dashboard')
    assert.equal(mine.status, 200)
    assert.include(mine.text, 'Active clients in your caseload')
    assert.deepEqual(appointmentRows(tableById(mine.text, 'today-appointments')), [todayMine.id])
    assert.sameMembers(appointmentRows(tableById(mine.text, 'week-appointments')), [todayMine.id, weekMine.id])
    assert.notInclude(mine.text, `/appointments/${todayOther.id}"`)
    assert.notInclude(mine.text, `/appointments/${nextWeek.id}"`)
    assert.match(mine.text, /id="today-figure">Today's appointments<\/h2>\s*<p class="figure">1<\/p>/)
    assert.match(mine.text, /id="week-figure">This week's appointments<\/h2>\s*<p class="figure">2<\/p>/)
    assert.match(mine.text, /Active clients in your caseload<\/h2>\s*<p class="figure">1<\/p>/)

    for (const role of ['ceo', 'admin', 'support_staff'] as const) {
      const page = await (await signIn(await createStaff(role))).get('/dashboard')
      assert.equal(page.status, 200, role)
      const todays = appointmentRows(tableById(page.text, 'today-appointments'))
      assert.includeMembers(todays, [todayMine.id, todayOther.id], role)
      assert.notInclude(todays, weekMine.id, role)
      assert.includeMembers(appointmentRows(tableById(page.text, 'week-appointments')), [todayMine.id, weekMine.id, todayOther.id], role)
      assert.notInclude(page.text, `/appointments/${nextWeek.id}"`, role)
      const activeClients = Number(page.text.match(/id="clients-figure">Active clients<\/h2>\s*<p class="figure">(\d+)</)![1])
      assert.isAtLeast(activeClients, 2, role)
    }
  })

  test('past appointments still needing an outcome are listed oldest first; a clinician sees those she provides', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const colleague = await createStaff('clinician')
    const myClient = await createClient({ primaryClinicianId: clinician.id })
    const otherClient = await createClient({ primaryClinicianId: colleague.id })
    // Long ago, so that they are among the practice's oldest whatever else the test run has made.
    const longAgo = DateTime.now().minus({ years: 20 })
    const mineOldest = await createAppointment(myClient, clinician, { startsAt: longAgo })
    const colleaguesWithMyClient = await createAppointment(myClient, colleague, { startsAt: longAgo.plus({ days: 1 }) })
    const colleagues = await createAppointment(otherClient, colleague, { startsAt: longAgo.plus({ days: 2 }) })
    const recorded = await createAppointment(myClient, clinician, { startsAt: longAgo.plus({ days: 3 }), status: 'completed' })
    const cancelled = await createAppointment(myClient, clinician, { startsAt: longAgo.plus({ days: 4 }), status: 'late_cancelled' })
    const thisMorning = await createAppointment(myClient, clinician, { startsAt: DateTime.now().minus({ minutes: 30 }) })
    const later = await createAppointment(myClient, clinician, { startsAt: DateTime.now().plus({ hours: 3 }) })

    const mine = await (await signIn(clinician)).get('/dashboard')
    assert.equal(mine.status, 200)
    assert.include(mine.text, 'Attendance to record')
    assert.deepEqual(appointmentRows(tableById(mine.text, 'outcome-appointments')), [mineOldest.id, thisMorning.id])
    assert.match(mine.text, /id="outcome-figure">Attendance to record<\/h2>\s*<p class="figure">2<\/p>/)
    assert.include(tableById(mine.text, 'outcome-appointments'), 'Attendance not recorded yet')

    const page = await (await signIn(await createStaff('support_staff'))).get('/dashboard')
    const rows = appointmentRows(tableById(page.text, 'outcome-appointments'))
    assert.includeMembers(rows, [mineOldest.id, colleaguesWithMyClient.id, colleagues.id])
    assert.isBelow(rows.indexOf(mineOldest.id), rows.indexOf(colleaguesWithMyClient.id))
    assert.isBelow(rows.indexOf(colleaguesWithMyClient.id), rows.indexOf(colleagues.id))
    for (const excluded of [recorded, cancelled, later]) assert.notInclude(rows, excluded.id)
  })

  test('the appointments needing an outcome: the first 50 and the total', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: clinician.id })
    const start = DateTime.now().minus({ days: 60 })
    const created: Appointment[] = []
    for (let i = 0; i < 51; i++) {
      created.push(await createAppointment(client, clinician, { startsAt: start.plus({ hours: i }) }))
    }

    const page = await (await signIn(clinician)).get('/dashboard')
    assert.deepEqual(
      appointmentRows(tableById(page.text, 'outcome-appointments')),
      created.slice(0, 50).map(({ id }) => id)
    )
    assert.include(page.text, 'The first 50 of 51, oldest first')
    assert.match(page.text, /id="outcome-figure">Attendance to record<\/h2>\s*<p class="figure">51<\/p>/)
  })

  test("a clinician's figures are her caseload's, portal accounts included", async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const colleague = await createStaff('clinician')
    const myClient = await createClient({ primaryClinicianId: clinician.id })
    const seenOnce = await createClient({ primaryClinicianId: colleague.id })
    await createAppointment(seenOnce, clinician)
    const notMine = await createClient({ primaryClinicianId: colleague.id })
    await createPortalAccount(myClient)
    await createPortalAccount(seenOnce, 'parent')
    await createPortalAccount(myClient, 'parent', { status: 'disabled' })
    await createPortalAccount(notMine)
    await createPortalAccount(notMine, 'parent')

    const mine = await (await signIn(clinician)).get('/dashboard')
    assert.match(mine.text, /id="portal-figure">Active portal accounts in your caseload<\/h2>\s*<p class="figure">2<\/p>/)
    assert.match(mine.text, /Active clients in your caseload<\/h2>\s*<p class="figure">2<\/p>/)

    const ceo = await (await signIn(await createStaff('ceo'))).get('/dashboard')
    const all = Number(ceo.text.match(/id="portal-figure">Active portal accounts<\/h2>\s*<p class="figure">(\d+)</)![1])
    assert.isAtLeast(all, 4)
  })

  test('a busy day shows its first 100 appointments, the whole count, and a link to the rest', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: clinician.id })
    const today = practiceNow().startOf('day')
    const created: Appointment[] = []
    for (let i = 0; i < 101; i++) {
      const startsAt = today.plus({ minutes: i * 12 })
      created.push(await createAppointment(client, clinician, { startsAt, endsAt: startsAt.plus({ minutes: 10 }) }))
    }

    const page = await (await signIn(clinician)).get('/dashboard')
    assert.equal(page.status, 200)
    assert.deepEqual(
      appointmentRows(tableById(page.text, 'today-appointments')),
      created.slice(0, 100).map(({ id }) => id)
    )
    assert.match(page.text, /id="today-figure">Today's appointments<\/h2>\s*<p class="figure">101<\/p>/)
    assert.include(page.text, 'The first 100 of 101, earliest first')
    assert.include(page.text, `href="/appointments?from=${today.toISODate()}&amp;to=${today.toISODate()}">All of today's appointments</a>`)
  })
})
