/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser } from 'playwright'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import Appointment from '#models/appointment'
import AppointmentType from '#models/appointment_type'
import { createAppointment, createClient, createStaff } from '#database/factories/main'
import { audit } from '#services/audit'
import { practiceNow } from '#support/practice_time'
import { check, newVisitor as newSharedVisitor, signInStaff, type Visitor } from './support/visitor.js'

/*
| Booking from the calendar and through the client picker in a real browser,
| with JavaScript on (htmx moves the calendar and keeps the URL; the picker
| searches as one types) and off (links, a search submit and a results
| list); the search term never in any URL the browser asks for. Every new
| or changed staff page passes axe, the HTML checker, CSP and 320 px.
*/
interface PickerVisitor extends Visitor {
  /** Every URL the page asked for (documents, htmx requests, assets). */
  urls: string[]
}

/** A visitor whose every request is recorded; the page names below carry their own -js/-nojs where they need one. */
async function newVisitor(browser: Browser, javaScript: boolean): Promise<PickerVisitor> {
  const urls: string[] = []
  const visitor = await newSharedVisitor(browser, {
    javaScript,
    modeInNames: false,
    onPage: (page) => page.on('request', (request) => urls.push(request.url())),
  })
  return Object.assign(visitor, { urls })
}

/** A weekday some weeks ahead, so its whole day is free and in the future. */
function futureWeekday(weeks: number) {
  let day = practiceNow().startOf('day').plus({ weeks })
  while (day.weekday > 5) day = day.plus({ days: 1 })
  return day
}

async function bookFromCalendar(browser: Browser, assert: any, javaScriptEnabled: boolean) {
  const support = await createStaff('support_staff')
  const clinician = await createStaff('clinician', { name: `Dr. Slot ${javaScriptEnabled ? 'On' : 'Off'} ${Date.now()}` })
  const surname = `Pickford${javaScriptEnabled ? 'js' : 'nojs'}${Math.random().toString(36).slice(2, 7)}`
  const client = await createClient({ lastName: surname, firstName: 'Robin' })
  const type = await AppointmentType.create({ name: `Session ${surname}`, defaultMinutes: 50, isTelehealth: false, isActive: true })
  const day = futureWeekday(javaScriptEnabled ? 9 : 10)
  await createAppointment(client, clinician, { startsAt: day.set({ hour: 9 }), endsAt: day.set({ hour: 10 }) })

  const visitor = await newVisitor(browser, javaScriptEnabled)
  await signInStaff(visitor, support)
  const previousDay = day.minus({ days: 1 }).toISODate()!
  await visitor.page.goto(`/appointments/calendar?view=day&date=${previousDay}&provider=${clinician.id}`)
  await check(visitor, `calendar-day-${javaScriptEnabled ? 'js' : 'nojs'}`)

  // To the next day: htmx swaps the grid and keeps the URL; without JavaScript a link.
  await Promise.all([
    visitor.page.waitForURL(`**/appointments/calendar?view=day&date=${day.toISODate()}&provider=${clinician.id}`),
    visitor.page.click('.calendar-nav a:has-text("Next day")'),
  ])
  await visitor.page.waitForSelector(`#calendar h2:has-text("${day.setLocale('en-US').toFormat('cccc, LLLL d, yyyy')}")`)
  assert.include(await visitor.page.textContent('#calendar'), `${surname}, Robin`)
  assert.include(await visitor.page.textContent('#calendar'), 'Scheduled')

  // The 11:00 slot is free: it opens the booking form with the clinician and time.
  const startsAt = day.set({ hour: 11 }).toFormat("yyyy-MM-dd'T'HH:mm")
  await Promise.all([visitor.page.waitForURL('**/appointments/new?**'), visitor.page.click(`a.calendar-book[href*="startsAt=${encodeURIComponent(startsAt)}"]`)])
  assert.equal(await visitor.page.inputValue('#field-providerId'), String(clinician.id))
  assert.equal(await visitor.page.inputValue('#field-startsAt'), startsAt)

  // The picker: typed (htmx, posted) or searched with the button (a posted form, back to this page).
  if (javaScriptEnabled) {
    await visitor.page.fill('#field-clientId', surname.slice(0, 14))
  } else {
    await visitor.page.fill('#field-clientId', surname)
    await Promise.all([visitor.page.waitForURL('**/appointments/new?**'), visitor.page.click('#clientId-picker button:has-text("Find")')])
    // Back on the form: the slot's clinician and time came back with it.
    assert.equal(await visitor.page.inputValue('#field-startsAt'), startsAt)
  }
  await visitor.page.waitForSelector(`#clientId-option-${client.id}`)
  assert.include(await visitor.page.textContent(`label[for="clientId-option-${client.id}"]`), '· born ')
  await check(visitor, `booking-picker-${javaScriptEnabled ? 'js' : 'nojs'}`)
  await visitor.page.check(`#clientId-option-${client.id}`)
  await visitor.page.selectOption('#field-appointmentTypeId', String(type.id))
  await Promise.all([visitor.page.waitForURL(/\/appointments\/\d+$/), visitor.page.click('button:has-text("Book appointment")')])
  assert.include(await visitor.page.textContent('main'), 'The appointment is booked.')

  const booked = await Appointment.query().where('clientId', client.id).where('providerId', clinician.id).orderBy('id', 'desc').firstOrFail()
  assert.equal(booked.startsAt.setZone(day.zone).toFormat("yyyy-MM-dd'T'HH:mm"), startsAt)
  const leaked = visitor.urls.filter((url) => url.toLowerCase().includes(surname.slice(0, 10).toLowerCase()))
  assert.deepEqual(leaked, [], 'the search term is in no URL')
  assert.deepEqual(visitor.found, [], visitor.found.join('\n'))
  await visitor.page.context().close()
}

test.group('Staff: calendar and client picker in the browser', () => {
  test('booking from the calendar through the picker, with JavaScript', async ({ browser, assert }) => {
    await bookFromCalendar(browser, assert, true)
  }).timeout(120_000)

  test('booking from the calendar through the picker, without JavaScript', async ({ browser, assert }) => {
    await bookFromCalendar(browser, assert, false)
  }).timeout(120_000)

  test('the new and changed staff pages pass the checks; the upload shows its progress and lands on the resource', async ({ browser, assert }) => {
    const ceo = await createStaff('ceo')
    const clinician = await createStaff('clinician')
    const client = await createClient({ primaryClinicianId: clinician.id })
    await createAppointment(client, clinician)
    await audit(null, { action: 'staff.client.viewed', actorKind: 'staff', actorId: ceo.id, clientId: client.id, detail: { clientId: client.id } })
    const visitor = await newVisitor(browser, true)
    await signInStaff(visitor, ceo)
    for (const path of [
      '/appointments/calendar',
      `/appointments/calendar?view=week&provider=${clinician.id}`,
      '/appointments?sort=client&dir=desc',
      '/clients?sort=dateOfBirth&dir=desc',
      `/audit-log?clientId=${client.id}&sort=action&dir=asc`,
      '/portal-settings',
      '/resource-library',
      '/resource-library/new',
    ]) {
      const response = await visitor.page.goto(path)
      assert.equal(response?.status(), 200, path)
      await check(visitor, `staffux${path.replace(/[/?&=]/g, '-')}`)
    }

    // The audit log's client filter: the picker searches (posted), the choice filters.
    await visitor.page.goto('/audit-log')
    await visitor.page.fill('#field-clientId', client.lastName)
    await visitor.page.waitForSelector(`#clientId-option-${client.id}`)
    await visitor.page.check(`#clientId-option-${client.id}`)
    await Promise.all([visitor.page.waitForURL(`**/audit-log?**clientId=${client.id}**`), visitor.page.click('button:has-text("Show events")')])
    assert.include(await visitor.page.textContent('tbody'), `opened the record of ${client.fullName}`)

    // Upload with the progress bar (XMLHttpRequest), landing where a normal submit does, message included.
    // Every value the bar takes is reported to the test as app.js sets it (a binding survives the page
    // leaving), and the upload is throttled by Chromium to 1 MB/s so that 3 MB take a few seconds: the bar
    // must move through values between 0 and 100 while the bytes go out.
    const progress: { value: number; text: string }[] = []
    await visitor.page.exposeBinding('recordUploadProgress', (_source, value: number, text: string) => {
      progress.push({ value, text })
    })
    const bigFile = join(await mkdtemp(join(tmpdir(), 'upload-progress-')), 'sleep-diary.txt')
    await writeFile(bigFile, 'Bedtime, wake time, how rested I feel (1 to 5).\n'.repeat(64 * 1024))
    await visitor.page.goto('/resource-library/new')
    await visitor.page.evaluate(() => {
      const bar = document.querySelector<HTMLProgressElement>('#upload-progress-bar')!
      const text = document.querySelector('#upload-progress-text')!
      const report = () => (window as any).recordUploadProgress(bar.value, text.textContent ?? '')
      new MutationObserver(report).observe(bar, { attributes: true, attributeFilter: ['value'] })
    })
    await visitor.page.fill('#field-title', `Progress ${Date.now()}`)
    await visitor.page.setInputFiles('#field-file', bigFile)
    const devtools = await visitor.page.context().newCDPSession(visitor.page)
    await devtools.send('Network.enable')
    await devtools.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1024 * 1024 })
    const uploadRequest = visitor.page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/resource-library')
    await Promise.all([visitor.page.waitForURL(/\/resource-library\/\d+$/, { timeout: 60_000 }), visitor.page.click('button:has-text("Upload")')])
    await devtools.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    await devtools.detach()
    // The XHR path ran (a plain submit sends no such header), not the form's normal submit.
    const sent = await uploadRequest
    assert.equal(sent.headers()['x-upload-progress'], '1')
    assert.equal(sent.resourceType(), 'xhr')
    // The bar started at 0, moved through values strictly between 0 and 100, never backwards, and ended at 100.
    const values = progress.map((step) => step.value)
    assert.equal(values[0], 0, JSON.stringify(progress))
    assert.equal(progress[0].text, 'Starting the upload…')
    assert.isAtLeast(values.filter((value) => value > 0 && value < 100).length, 1, JSON.stringify(progress))
    assert.deepEqual([...values].sort((a, b) => a - b), values)
    assert.equal(values.at(-1), 100)
    assert.equal(progress.at(-1)!.text, 'Sent. Checking the file…')
    await rm(dirname(bigFile), { recursive: true, force: true })
    assert.include(await visitor.page.textContent('main'), 'is in the library')
    assert.isFalse(await visitor.page.isVisible('.technical-details dd code.checksum'))
    await visitor.page.click('.technical-details summary')
    assert.isTrue(await visitor.page.isVisible('.technical-details dd code.checksum'))
    await check(visitor, 'staffux-resource')

    const leaked = visitor.urls.filter((url) => url.includes(client.lastName))
    assert.deepEqual(leaked, [])
    assert.deepEqual(visitor.found, [], visitor.found.join('\n'))
  }).timeout(180_000)
})
