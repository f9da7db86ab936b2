/// <reference lib="dom" />
import { test } from '@japa/runner'
import type { Browser } from 'playwright'
import router from '@adonisjs/core/services/router'
import { DateTime } from 'luxon'
import {
  PASSWORD,
  createAppointment,
  createClient,
  createEmergencyContact,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'
import { nextTotpCode } from '#tests/helpers/two_factor'
import { open } from './support/pages.js'
import { baseUrl, check, newVisitor as newSharedVisitor, type Visitor } from './support/visitor.js'
import { isPortalPath } from '#services/surfaces'
import { deliverAll, groupSmtpCapture, linksIn } from '#tests/helpers/mail'
import { issueAppointmentActionLink } from '#actions/appointment_actions/issue_appointment_action_link'
import db from '@adonisjs/lucid/services/db'
import PracticeSetting from '#models/practice_setting'
import OneTimeToken from '#models/one_time_token'
import { EXIT_PAGE_HEADING, startNeutralSite } from './support/neutral_site.js'

/** Portal GET routes the journeys opened, by route pattern (checked against the router at the end). */
const visitedPatterns = new Set<string>()

function remember(url: string) {
  const path = new URL(url, baseUrl).pathname
  const match = router.match(path, 'GET', false)
  if (match) visitedPatterns.add(match.route.pattern)
}

async function newVisitor(browser: Browser, javaScript: boolean) {
  return newSharedVisitor(browser, {
    javaScript,
    acceptDownloads: true,
    // "Leave this site" goes to a local stand-in with a self-signed certificate (support/neutral_site.ts).
    ignoreHTTPSErrors: true,
    // Every document request, redirects included, so a page that forwards elsewhere still counts.
    onPage: (page) =>
      page.on('request', (request) => {
        if (request.isNavigationRequest() && request.frame() === page.mainFrame()) remember(request.url())
      }),
  })
}

/** Opens a URL and runs every check on it. */
async function visit(visitor: Visitor, url: string, name: string) {
  const html = await open(visitor.page, url)
  await check(visitor, name, html)
}

async function signIn(visitor: Visitor, email: string) {
  await visit(visitor, '/portal/login', 'portal-login')
  await visitor.page.fill('#field-email', email)
  await visitor.page.fill('#field-password', PASSWORD)
  await Promise.all([visitor.page.waitForURL('**/portal'), visitor.page.click('button:has-text("Sign in")')])
}

async function clientWithEverything() {
  const provider = await createStaff('clinician', { name: 'Dr. Rowan Hale' })
  const marker = `Room-${Math.random().toString(36).slice(2, 8)}`
  const client = await createClient({ firstName: 'Robin', phone: '+12133734253' })
  const upcoming = await createAppointment(client, provider, { location: marker })
  for (let i = 1; i <= 3; i++) {
    await createAppointment(client, provider, {
      startsAt: DateTime.now().minus({ weeks: i }),
      status: i === 2 ? 'cancelled' : 'completed',
      location: marker,
    })
  }
  await createEmergencyContact(client, { name: 'Casey Hale' })
  const { resource } = await createSharedResource([client], { title: 'Breathing worksheet' })
  const account = await createPortalAccount(client, 'self', { displayName: 'Robin' })
  return { client, account, resource, marker, upcoming }
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'with JavaScript off'

  test.group(`Client journeys ${mode}`, () => {
    test('a client signs in, reads appointments and resources, updates details, signs out', async ({ browser, assert }) => {
      const { account, resource, marker, upcoming } = await clientWithEverything()
      const visitor = await newVisitor(browser, javaScript)
      const { page } = visitor

      await signIn(visitor, account.email)
      await check(visitor, 'portal-home')

      await visit(visitor, '/portal/appointments', 'portal-appointments')
      assert.include(await page.textContent('#appointment-list'), marker)
      await page.click('a:has-text("Past")')
      await page.waitForSelector('#appointment-list h2:has-text("Past appointments")')
      assert.include(page.url(), 'tab=past')
      // The current tab follows the list, whether htmx swapped it or the page reloaded.
      assert.equal(await page.getAttribute('a[data-tab="past"]', 'aria-current'), 'page')
      assert.equal(await page.getAttribute('a[data-tab="upcoming"]', 'aria-current'), 'false')
      await check(visitor, 'portal-appointments-past')

      await page.click('#appointment-list a >> nth=0')
      await page.waitForURL(/\/portal\/appointments\/\d+$/)
      await check(visitor, 'portal-appointment')

      await visit(visitor, '/portal/appointments', 'portal-appointments')
      await page.click('#appointment-list a >> nth=0')
      await page.waitForURL(/\/portal\/appointments\/\d+$/)
      const [calendar] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Add to my calendar")')])
      assert.match(calendar.suggestedFilename(), /^appointment-.*\.ics$/)
      remember(calendar.url())

      // Confirm or cancel, signed in, from the appointment's page: the client confirms.
      await page.click('a:has-text("Confirm or cancel")')
      await page.waitForURL(/\/portal\/appointments\/\d+\/confirm-or-cancel$/)
      await check(visitor, 'portal-appointment-actions')
      await page.click('button[value="confirm"]')
      await page.waitForSelector('#action-outcome')
      assert.include(await page.textContent('#action-outcome'), 'Your appointment is confirmed.')

      // The same choice from an emailed link, signed in or not: opening it changes nothing.
      const actionLink = await issueAppointmentActionLink({ appointmentId: upcoming.id, recipient: { clientUserId: account.id } })
      await visit(visitor, actionLink!, 'portal-appointment-action-link')
      assert.include(await page.textContent('main'), 'Will you be there?')

      // Appointment requests (the ask → book journey is tests/browser/appointment_requests.spec.ts).
      await visit(visitor, '/portal/appointment-requests', 'portal-appointment-requests')
      await visit(visitor, '/portal/appointment-requests/new', 'portal-appointment-request-form')

      // The waitlist (the join → offer → take journey is tests/browser/waitlist.spec.ts): the form, and an emailed offer.
      await visit(visitor, `/portal/appointments/${upcoming.id}/waitlist`, 'portal-waitlist-form')
      const [entry] = await db.table('waitlist_entries')
        .insert({ client_id: upcoming.clientId, provider_id: upcoming.providerId, appointment_id: upcoming.id, client_user_id: account.id })
        .returning('id')
      const slotStart = DateTime.now().plus({ days: 2 }).startOf('hour')
      const [slot] = await db.table('waitlist_slots')
        .insert({ freed_appointment_id: upcoming.id, provider_id: upcoming.providerId, starts_at: slotStart.toISO(), ends_at: slotStart.plus({ minutes: 50 }).toISO() })
        .returning('id')
      const offerToken = OneTimeToken.generate()
      await db.table('waitlist_offers').insert({
        slot_id: slot.id, entry_id: entry.id, client_id: upcoming.clientId, wave: 1, token_hash: offerToken.tokenHash,
        client_user_id: account.id, starts_at: slotStart.toISO(), expires_at: slotStart.minus({ hours: 12 }).toISO(),
      })
      await visit(visitor, `/portal/waitlist-offers/${offerToken.token}`, 'portal-waitlist-offer')
      assert.include(await page.textContent('main'), 'Take this time')

      await visit(visitor, '/portal/resources', 'portal-resources')
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(`a:has-text("Download"):has-text("${resource.title}")`)])
      assert.equal(file.suggestedFilename(), resource.originalName)
      remember(file.url())

      await visit(visitor, '/portal/account', 'portal-account')
      // An emptied required field comes back empty, with its error, and the problems get focus (or a link to them).
      await page.fill('#contact-phone', '')
      await Promise.all([page.waitForURL('**/portal/account'), page.click('button:has-text("Save contact details")')])
      assert.equal(await page.inputValue('#contact-phone'), '')
      assert.include(await page.textContent('#contact-error-summary'), 'Phone')
      if (javaScript) {
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'contact-error-summary')
      } else {
        assert.equal(await page.getAttribute('main a[href="#contact-error-summary"]', 'href'), '#contact-error-summary')
      }
      await check(visitor, 'portal-account-problems')
      await page.fill('#contact-phone', '(213) 373-4254')
      await Promise.all([page.waitForURL('**/portal/account'), page.click('button:has-text("Save contact details")')])
      assert.equal(await page.inputValue('#contact-phone'), '(213) 373-4254')
      assert.include(await page.textContent('main'), 'saved')
      await check(visitor, 'portal-account-saved')

      await page.fill('#add-contact-name', 'Jordan Hale')
      await page.fill('#add-contact-relationship', 'Sibling')
      await page.fill('#add-contact-phone', '(213) 373-4255')
      await Promise.all([page.waitForURL('**/portal/account'), page.click('button:has-text("Add contact")')])
      assert.include(await page.textContent('main'), 'Jordan Hale')

      await page.click('a:has-text("Edit")  >> nth=0')
      await page.waitForURL(/emergency-contacts\/\d+\/edit$/)
      await check(visitor, 'portal-emergency-contact-edit')

      // Removing asks first, on a page of its own.
      await visit(visitor, '/portal/account', 'portal-account')
      await page.click('.contact-actions a:has-text("Remove") >> nth=0')
      await page.waitForURL(/emergency-contacts\/\d+\/delete$/)
      await check(visitor, 'portal-emergency-contact-remove')
      await Promise.all([page.waitForURL('**/portal/account'), page.click('button:has-text("Yes, remove")')])
      assert.include(await page.textContent('main'), 'is removed from the emergency contacts')

      // Account activity (issue #20): this browser's session and its own sign-in; axe, HTML checker, 320 px.
      await visit(visitor, '/portal/account/activity', 'portal-account-activity')
      assert.include(await page.textContent('main'), 'This browser')

      await visit(visitor, '/portal/switch', 'portal-switch')

      await Promise.all([page.waitForURL('**/portal/login'), page.click('button:has-text("Sign out")')])
      await page.goBack()
      await page.waitForLoadState()
      const afterBack = await page.textContent('body')
      assert.notInclude(afterBack, marker)
      assert.notInclude(afterBack, 'Casey Hale')
      assert.include(page.url(), '/portal/login')

      assert.deepEqual(visitor.found, [], visitor.found.join('\n'))
    }).timeout(180_000)

    test('a guardian switches between two children', async ({ browser, assert }) => {
      const provider = await createStaff('clinician')
      const first = await createClient({ firstName: 'Ava', dateOfBirth: DateTime.now().minus({ years: 10 }) })
      const second = await createClient({ firstName: 'Ben', dateOfBirth: DateTime.now().minus({ years: 7 }) })
      await createAppointment(first, provider, { location: 'Ava-room' })
      await createAppointment(second, provider, { location: 'Ben-room' })
      const guardian = await createPortalAccount([first, second], 'parent', { displayName: 'Sam' })
      const visitor = await newVisitor(browser, javaScript)
      const { page } = visitor

      await signIn(visitor, guardian.email)
      assert.include(await page.textContent('.viewing'), 'Ava')
      await page.click('a:has-text("Switch person")')
      await page.waitForURL('**/portal/switch')
      await check(visitor, 'portal-switch-guardian')
      await Promise.all([page.waitForURL('**/portal'), page.click('button:has-text("View Ben")')])
      assert.include(await page.textContent('.viewing'), 'Ben')
      await visit(visitor, '/portal/appointments', 'portal-appointments-guardian')
      const list = await page.textContent('#appointment-list')
      assert.include(list, 'Ben-room')
      assert.notInclude(list, 'Ava-room')

      assert.deepEqual(visitor.found, [], visitor.found.join('\n'))
    }).timeout(120_000)

    test('a parent on the appointments level: home and a language-only Account pass the checks', async ({ browser, assert }) => {
      // A 14-year-old whose parent's link is limited to appointments (DESIGN §14): issue #20.
      const provider = await createStaff('clinician')
      const teen = await createClient({ firstName: 'Noa', dateOfBirth: DateTime.now().minus({ years: 14, months: 3 }) })
      await createAppointment(teen, provider, { location: 'Noa-room' })
      await createSharedResource([teen], { title: 'Teen-only worksheet' })
      await createEmergencyContact(teen, { name: 'Casey Reyes' })
      const parent = await createPortalAccount(teen, 'parent', { displayName: 'Dana' }, { accessLevel: 'appointments' })
      const visitor = await newVisitor(browser, javaScript)
      const { page } = visitor

      await signIn(visitor, parent.email)
      await check(visitor, 'portal-home-limited-guardian')
      assert.include(await page.textContent('main'), 'Noa-room')
      assert.equal(await page.locator('a[href="/portal/resources"]').count(), 0)

      await visit(visitor, '/portal/account', 'portal-account-limited-guardian')
      const main = (await page.textContent('main')) ?? ''
      assert.equal(await page.locator('#language-heading').count(), 1)
      assert.include(main, 'Contact details are kept up to date by others.')
      assert.equal(await page.locator('button:has-text("Save contact details")').count(), 0)
      assert.notInclude(main, 'Casey Reyes')

      // Saving the language: the page shown after it passes too.
      await Promise.all([page.waitForURL('**/portal/account'), page.click('button:has-text("Save language")')])
      await check(visitor, 'portal-account-limited-guardian-saved')
      assert.equal(await page.locator('#language-heading').count(), 1)

      assert.deepEqual(visitor.found, [], visitor.found.join('\n'))
    }).timeout(120_000)
  })
}

test.group('Invitations, account recovery and a new sign-in email in the browser', (group) => {
  const capture = groupSmtpCapture(group)

  /** Delivers queued mail through the real SMTP capture and returns the link in the mail to `to`. */
  async function linkMailedTo(to: string) {
    await deliverAll()
    await capture.waitFor(() => capture.to(to).length > 0, 10_000)
    const message = capture.to(to).at(-1)!
    const link = linksIn(message).find((url) => url.startsWith(baseUrl))
    if (!link) throw new Error('No link in the mail')
    return link
  }

  test('a ceo invites a client; the client goes from the email to the portal home', async ({ browser, assert }) => {
    const ceo = await createStaff('ceo')
    const client = await createClient({ firstName: 'Noor', lastName: `Invitee${Date.now()}`, dateOfBirth: DateTime.fromISO('1988-07-09') })
    const email = `noor-${Date.now()}@invited.test`

    const staff = await newVisitor(browser, true)
    await visit(staff, '/login', 'staff-login')
    await staff.page.fill('#field-email', ceo.email)
    await staff.page.fill('#field-password', PASSWORD)
    await Promise.all([staff.page.waitForURL('**/login/two-factor'), staff.page.click('button:has-text("Sign in")')])
    await staff.page.fill('#field-code', await nextTotpCode(ceo))
    await Promise.all([staff.page.waitForURL('**/dashboard'), staff.page.click('button:has-text("Continue")')])
    await visit(staff, '/portal-settings', 'staff-portal-settings')
    // The client picker: type part of the name, choose the client.
    await staff.page.fill('#field-clientId', client.lastName)
    await staff.page.check(`#clientId-option-${client.id}`)
    await staff.page.selectOption('#field-relationship', 'self')
    await staff.page.fill('#field-email', email)
    await Promise.all([staff.page.waitForLoadState('load'), staff.page.click('button:has-text("Invite")')])
    await check(staff, 'staff-portal-settings-invited')

    const link = await linkMailedTo(email)
    const person = await newVisitor(browser, true)
    const { page } = person
    await visit(person, link, 'portal-invitation')
    await page.fill('#field-password', 'quiet-harbor-lantern-58')
    await page.fill('#field-password_confirmation', 'quiet-harbor-lantern-58')
    await Promise.all([page.waitForURL('**/portal/onboarding/verify'), page.click('button:has-text("Continue")')])
    await check(person, 'portal-onboarding-verify')
    await page.fill('#dob-month', '7')
    await page.fill('#dob-day', '9')
    await page.fill('#dob-year', '1988')
    await Promise.all([page.waitForURL('**/portal/onboarding/profile'), page.click('button:has-text("Continue")')])
    await check(person, 'portal-onboarding-profile')
    await page.fill('#field-phone', '(213) 373-4256')
    await page.fill('#field-contactName', 'Sami Invitee')
    await page.fill('#field-contactRelationship', 'Brother')
    await page.fill('#field-contactPhone', '(213) 373-4257')
    await Promise.all([page.waitForURL(/\/portal$/), page.click('button:has-text("Save and go to my portal")')])
    assert.include(await page.textContent('h1'), 'Hello')
    await visit(person, '/portal/onboarding', 'portal-onboarding-done')

    assert.deepEqual([...staff.found, ...person.found], [], [...staff.found, ...person.found].join('\n'))
  }).timeout(180_000)

  test('a client who forgot the password resets it from the email', async ({ browser, assert }) => {
    const { account } = await clientWithEverything()
    const visitor = await newVisitor(browser, false)
    const { page } = visitor
    await visit(visitor, '/portal/login', 'portal-login-nojs')
    await Promise.all([page.waitForURL('**/portal/forgot-password'), page.click('a:has-text("Forgot your password?")')])
    await check(visitor, 'portal-forgot-password')
    await page.fill('#field-email', account.email)
    await Promise.all([page.waitForURL('**/portal/forgot-password/sent'), page.click('button:has-text("Send me a link")')])
    await check(visitor, 'portal-forgot-password-sent')

    const link = await linkMailedTo(account.email)
    await visit(visitor, link, 'portal-reset-password')
    await page.fill('#field-password', 'new-lantern-harbor-77')
    await page.fill('#field-password_confirmation', 'new-lantern-harbor-77')
    await Promise.all([page.waitForURL('**/portal/login'), page.click('button:has-text("Save new password")')])

    await page.fill('#field-email', account.email)
    await page.fill('#field-password', 'new-lantern-harbor-77')
    await Promise.all([page.waitForURL('**/portal'), page.click('button:has-text("Sign in")')])
    assert.deepEqual(visitor.found, [], visitor.found.join('\n'))
  }).timeout(120_000)

  test('a client asks for a new sign-in email, confirms it from the email and signs in with it', async ({ browser, assert }) => {
    const { account } = await clientWithEverything()
    const newEmail = `robin-${Date.now()}@new-address.test`
    const visitor = await newVisitor(browser, false)
    const { page } = visitor
    await signIn(visitor, account.email)
    await visit(visitor, '/portal/account', 'portal-account-before-email-change')
    await page.fill('#sign-in-email-newEmail', newEmail)
    await page.fill('#sign-in-email-currentPassword', PASSWORD)
    await Promise.all([page.waitForURL('**/portal/account'), page.click('button:has-text("Change sign-in email")')])
    assert.include(await page.textContent('body'), 'Please check your new email for the confirmation link.')

    const link = await linkMailedTo(newEmail)
    await capture.waitFor(() => capture.to(account.email).length > 0, 10_000)
    assert.include(capture.to(account.email).at(-1)!.text, 'r•••@new-address.test')
    await visit(visitor, link, 'portal-confirm-sign-in-email')
    await Promise.all([page.waitForURL('**/portal/login'), page.click('button:has-text("Confirm this email")')])
    assert.include(await page.textContent('body'), `Your sign-in email is now ${newEmail}.`)

    await page.fill('#field-email', newEmail)
    await page.fill('#field-password', PASSWORD)
    await Promise.all([page.waitForURL('**/portal'), page.click('button:has-text("Sign in")')])
    assert.deepEqual(visitor.found, [], visitor.found.join('\n'))
  }).timeout(120_000)
})

test.group('Portal access from the browser', () => {
  test('a signed-in staff user who opens /portal lands on the dashboard', async ({ browser, assert }) => {
    const staff = await createStaff('support_staff')
    const visitor = await newVisitor(browser, true)
    const { page } = visitor
    await visit(visitor, '/login', 'staff-login')
    await page.fill('#field-email', staff.email)
    await page.fill('#field-password', PASSWORD)
    await Promise.all([page.waitForURL('**/dashboard'), page.click('button:has-text("Sign in")')])
    await check(visitor, 'staff-dashboard')
    await page.goto('/portal')
    assert.match(page.url(), /\/dashboard$/)
    assert.deepEqual(visitor.found, [], visitor.found.join('\n'))
  }).timeout(60_000)

  test('a visitor switches the public pages to Spanish and back, with the links in the footer', async ({ browser, assert }) => {
    for (const javaScript of [true, false]) {
      const visitor = await newVisitor(browser, javaScript)
      const { page } = visitor
      await visit(visitor, '/portal/forgot-password', 'portal-forgot-password')
      await Promise.all([page.waitForURL('**/portal/forgot-password'), page.click('.language-switch a[lang="es"]')])
      assert.equal(await page.getAttribute('html', 'lang'), 'es')
      await check(visitor, 'portal-forgot-password-es')
      // Remembered: the next public page is Spanish too.
      await visit(visitor, '/portal/login', 'portal-login-es')
      assert.equal(await page.getAttribute('html', 'lang'), 'es')
      await Promise.all([page.waitForURL('**/portal/login'), page.click('.language-switch a[lang="en"]')])
      assert.equal(await page.getAttribute('html', 'lang'), 'en')
      await visitor.context.close()
      assert.deepEqual(visitor.found, [], visitor.found.join('\n'))
    }
  }).timeout(120_000)

  test('a visitor reads the safety page from the footer, then leaves with "Leave this site"', async ({ browser, assert, cleanup }) => {
    const neutral = await startNeutralSite()
    const setExitUrl = async (url: string) => {
      await db.from('practice_settings').where('id', 1).update({ quick_exit_url: url })
      PracticeSetting.forget()
    }
    await setExitUrl(neutral.url)
    cleanup(async () => {
      await setExitUrl('https://www.weather.com/')
      await neutral.stop()
    })
    for (const javaScript of [true, false]) {
      const visitor = await newVisitor(browser, javaScript)
      const { page } = visitor
      await visit(visitor, '/portal/login', 'portal-login')
      await Promise.all([page.waitForURL('**/portal/safety'), page.click('footer a:has-text("Leaving quickly")')])
      await check(visitor, 'portal-safety')
      await Promise.all([page.waitForURL(neutral.url), page.click('a:has-text("Leave this site")')])
      assert.equal((await page.textContent('h1'))?.trim(), EXIT_PAGE_HEADING)
      await visitor.context.close()
      assert.deepEqual(visitor.found, [], visitor.found.join('\n'))
    }
  }).timeout(120_000)

  test('keyboard only: sign in and reach every portal area, focus always visible', async ({ browser, assert }) => {
    const { account } = await clientWithEverything()
    const visitor = await newVisitor(browser, true)
    const { page } = visitor
    await page.goto('/portal/login')

    /** Tabs until the focused element matches (and has the text), checking that focus is visible on the way. */
    const tabTo = async (selector: string, text?: string) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab')
        const state = await page.evaluate(
          ([wanted, label]) => {
            const active = document.activeElement as HTMLElement | null
            if (!active || active === document.body) return { matches: false, visible: true }
            const style = getComputedStyle(active)
            return {
              matches: active.matches(wanted) && (!label || active.textContent?.trim() === label),
              visible: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
            }
          },
          [selector, text ?? ''] as const
        )
        assert.isTrue(state.visible, `focus is visible while tabbing to ${selector}`)
        if (state.matches) return
      }
      throw new Error(`Could not reach ${selector} ${text ?? ''} with the Tab key`)
    }

    await tabTo('#field-email')
    await page.keyboard.type(account.email)
    await tabTo('#field-password')
    await page.keyboard.type(PASSWORD)
    await Promise.all([page.waitForURL('**/portal'), page.keyboard.press('Enter')])

    for (const area of ['Appointments', 'Resources', 'Account', 'Home']) {
      await tabTo('nav[aria-label="Portal"] a', area)
      await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')])
      await page.waitForFunction((label) => document.title.startsWith(label === 'Account' ? 'Your account' : label), area)
    }
  }).timeout(90_000)

  test('the journeys opened every portal page (checked against the router)', async ({ assert }) => {
    const portalGetRoutes = router
      .toJSON()
      .root.filter((route) => isPortalPath(route.pattern) && route.methods.includes('GET'))
      .map((route) => route.pattern)
    const missing = portalGetRoutes.filter((pattern) => !visitedPatterns.has(pattern))
    assert.deepEqual(missing, [])
  })
})
