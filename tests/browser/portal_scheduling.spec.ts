/// <reference lib="dom" />
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import env from '#start/env'
import { PASSWORD, createAppointment, createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { inspectPage, open, watchPage } from './support/pages.js'

const baseUrl = `http://${env.get('HOST')}:${env.get('PORT')}`
const ROOM = 'https://video.example.test/browser-room'

/*
| The portal appointment page's cancel and join controls (issue #19 items 2
| and 5), with JavaScript off at 320 px: axe and the HTML checker clean on
| each page (axe runs in a JavaScript twin of the page, as the journeys do).
*/
test.group('Portal appointment page: cancel and join, JavaScript off', () => {
  test('a video session about to start shows Join and the phone; one days ahead is cancelled through the form', async ({ browser, assert }) => {
    const provider = await createStaff('clinician', { name: 'Dr. Ada Video' })
    provider.videoRoomUrl = ROOM
    await provider.save()
    const client = await createClient()
    const account = await createPortalAccount(client)
    const soon = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ minutes: 10 }).startOf('minute') })
    soon.isTelehealth = true
    await soon.save()
    const later = await createAppointment(client, provider, { startsAt: DateTime.now().plus({ days: 4 }).startOf('minute') })

    const context = await browser.newContext({ javaScriptEnabled: false, baseURL: baseUrl, viewport: { width: 320, height: 800 } })
    const page = await context.newPage()
    const found: string[] = []
    const checkHere = async (html: string, name: string) => {
      const twin = await browser.newContext({ storageState: await context.storageState(), baseURL: baseUrl })
      const twinPage = await twin.newPage()
      const problems = await watchPage(twinPage)
      await twinPage.goto(page.url())
      found.push(...(await inspectPage(twinPage, problems, { html, name })).map((problem) => `${name}: ${problem}`))
      await twin.close()
    }

    await open(page, '/portal/login')
    await page.fill('#field-email', account.email)
    await page.fill('#field-password', PASSWORD)
    await Promise.all([page.waitForURL('**/portal'), page.click('button:has-text("Sign in")')])
    assert.equal(await page.getAttribute('#join-video', 'href'), ROOM)

    const soonHtml = await open(page, `/portal/appointments/${soon.id}`)
    await checkHere(soonHtml, 'portal-appointment-video')
    assert.equal(await page.getAttribute('#join-video', 'rel'), 'noopener noreferrer')
    assert.equal(await page.locator('#confirm-or-cancel').count(), 0)
    assert.include(await page.textContent('#cancel-by-phone'), 'too late to cancel')

    const laterHtml = await open(page, `/portal/appointments/${later.id}`)
    await checkHere(laterHtml, 'portal-appointment-cancellable')
    await Promise.all([page.waitForURL(/confirm-or-cancel$/), page.click('#confirm-or-cancel')])
    await checkHere(await (await page.request.get(page.url())).text(), 'portal-appointment-actions')
    await Promise.all([page.waitForURL(/\/cancel$/), page.click('button[value="cancel"]')])
    assert.include(await page.textContent('#action-outcome'), 'Your appointment is cancelled.')
    await later.refresh()
    assert.equal(later.status, 'cancelled')

    await context.close()
    assert.deepEqual(found, [])
  }).timeout(120_000)
})
