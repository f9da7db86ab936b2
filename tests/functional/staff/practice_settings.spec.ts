import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Appointment from '#models/appointment'
import Client from '#models/client'
import ClientPreference from '#models/client_preference'
import PracticeSetting from '#models/practice_setting'
import { createAppointment, createClient, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { browserForm, type BrowserForm } from '#tests/helpers/forms'
import type { WebSession } from '#tests/helpers/web'

/*
| Portal Settings' "Practice settings" (DESIGN §13) over real HTTP:
| the form as a browser sends it, its validation, the audit trail, who may
| use it, and what the settings change: the window staff cancelling marks
| late, the lead time a new client starts with.
*/
const ACTION = '/portal-settings/practice'
const DEFAULTS = {
  reminders_enabled: true,
  default_reminder_lead_hours: 48,
  cancellation_window_hours: 24,
  sender_name: null,
  scheduling_mode: 'requests',
  quick_exit_url: 'https://www.weather.com/',
  teen_age: 12,
  drop_off_days: 45,
}

async function setSettings(values: Partial<typeof DEFAULTS>) {
  await db.connection('machinery').from('practice_settings').where('id', 1).update({ ...DEFAULTS, ...values })
  PracticeSetting.forget()
}

function auditRows(actorId: number) {
  return db
    .from('audit_events')
    .where({ action: 'staff.practice_settings.updated', actor_kind: 'staff', actor_id: actorId })
    .orderBy('id', 'asc')
}

/** The settings form as the page shows it, with some fields set and some boxes unticked. */
async function settingsForm(web: WebSession, changes: Record<string, string | null>): Promise<BrowserForm> {
  const form = browserForm((await web.get('/portal-settings')).text, ACTION)
  const entries = form.entries.filter(([name]) => changes[name] !== null)
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) continue
    const entry = entries.find(([entryName]) => entryName === name)
    if (entry) entry[1] = value
    else entries.push([name, value])
  }
  return { ...form, entries }
}

test.group('Portal Settings: reminders and cancellations', (group) => {
  group.each.setup(() => setSettings({}))
  group.teardown(() => setSettings({}))

  test('ceo and admin see the form with the current settings and save it; only the changed field names are audited', async ({ assert }) => {
    for (const role of ['ceo', 'admin'] as const) {
      await setSettings({})
      const staff = await createStaff(role)
      const web = await signIn(staff)
      const page = await web.get('/portal-settings')
      assert.include(page.text, 'Practice settings')
      const form = browserForm(page.text, ACTION)
      assert.deepInclude(form.entries, ['remindersEnabled', '1'])
      assert.deepInclude(form.entries, ['defaultReminderLeadHours', '48'])
      assert.deepInclude(form.entries, ['cancellationWindowHours', '24'])
      assert.deepInclude(form.entries, ['senderName', ''])
      assert.deepInclude(form.entries, ['schedulingMode', 'requests'])
      assert.deepInclude(form.entries, ['quickExitUrl', 'https://www.weather.com/'])
      assert.deepInclude(form.entries, ['teenAge', '12'])
      assert.deepInclude(form.entries, ['dropOffDays', '45'])
      for (const hours of [2, 24, 48]) assert.include(page.text, `<option value="${hours}"`)

      // Unchanged: nothing written, nothing audited.
      const same = await web.send(form)
      assert.equal(same.location, '/portal-settings#practice-settings')
      assert.include((await web.follow(same)).text, 'Nothing was changed.')
      assert.lengthOf(await auditRows(staff.id), 0)

      const response = await web.send(
        await settingsForm(web, {
          remindersEnabled: null,
          defaultReminderLeadHours: '24',
          cancellationWindowHours: '6',
          senderName: '  Appointments  ',
          schedulingMode: 'view_only',
          quickExitUrl: 'https://duckduckgo.com/',
          teenAge: '13',
          dropOffDays: '60',
        })
      )
      assert.include((await web.follow(response)).text, 'The practice settings are saved.')
      const saved = await PracticeSetting.current()
      assert.isFalse(saved.remindersEnabled)
      assert.equal(saved.defaultReminderLeadHours, 24)
      assert.equal(saved.cancellationWindowHours, 6)
      assert.equal(saved.senderName, 'Appointments')
      assert.equal(saved.mailSenderName, 'Appointments')
      assert.equal(saved.schedulingMode, 'view_only')
      assert.isFalse(saved.clientsMaySchedule)
      assert.equal(saved.quickExitUrl, 'https://duckduckgo.com/')
      assert.equal(saved.teenAge, 13)
      assert.equal(saved.dropOffDays, 60)

      const rows = await auditRows(staff.id)
      assert.lengthOf(rows, 1)
      assert.deepEqual(rows[0].detail, {
        fields:
          'remindersEnabled,defaultReminderLeadHours,cancellationWindowHours,senderName,schedulingMode,quickExitUrl,teenAge,dropOffDays',
      })

      // The page shows what is saved; an emptied sender name is the practice's name again.
      const again = browserForm((await web.get('/portal-settings')).text, ACTION)
      assert.notDeepInclude(again.entries, ['remindersEnabled', '1'])
      assert.deepInclude(again.entries, ['senderName', 'Appointments'])
      await web.send(await settingsForm(web, { senderName: '' }))
      assert.isNull((await PracticeSetting.current()).senderName)
      assert.deepEqual((await auditRows(staff.id))[1].detail, { fields: 'senderName' })
    }
  })

  test('out-of-range values are refused next to their fields, and nothing changes', async ({ assert }) => {
    const admin = await createStaff('admin')
    const web = await signIn(admin)
    for (const [changes, field, message] of [
      [{ defaultReminderLeadHours: '0' }, 'defaultReminderLeadHours', 'Please choose a lead time from 1 to 168 hours.'],
      [{ defaultReminderLeadHours: '169' }, 'defaultReminderLeadHours', 'Please choose a lead time from 1 to 168 hours.'],
      [{ cancellationWindowHours: '-1' }, 'cancellationWindowHours', 'Please give a number of hours from 0 to 168.'],
      [{ cancellationWindowHours: '200' }, 'cancellationWindowHours', 'Please give a number of hours from 0 to 168.'],
      [{ cancellationWindowHours: '2.5' }, 'cancellationWindowHours', 'Please give a whole number of hours.'],
      [{ cancellationWindowHours: '' }, 'cancellationWindowHours', 'Please give the cancellation window in hours (0 for none).'],
      [{ senderName: 'x'.repeat(101) }, 'senderName', 'Please keep the sender name to 100 characters or fewer.'],
      [{ schedulingMode: 'anything' }, 'schedulingMode', 'Please choose what clients may do.'],
      [{ quickExitUrl: 'http://example.com/' }, 'quickExitUrl', 'Please give a full https:// address'],
      [{ quickExitUrl: 'javascript:alert(1)' }, 'quickExitUrl', 'Please give a full https:// address'],
      [{ quickExitUrl: '' }, 'quickExitUrl', 'Please give the address “Leave this site” opens.'],
      [{ teenAge: '9' }, 'teenAge', 'Please give an age from 10 to 17.'],
      [{ dropOffDays: '7' }, 'dropOffDays', 'Please give a number of days from 14 to 365.'],
    ] as const) {
      const response = await web.send(await settingsForm(web, changes))
      assert.equal(response.location, '/portal-settings#practice-settings')
      const page = await web.follow(response)
      assert.include(page.text, `id="practice-${field}-error"`, field)
      assert.include(page.text, message)
      assert.include(page.text, `href="#practice-${field}"`)
      // The invite form on the same page shows no problem of its own.
      assert.notInclude(page.text, 'id="field-email-error"')
    }
    const settings = await PracticeSetting.current()
    assert.equal(settings.defaultReminderLeadHours, 48)
    assert.equal(settings.cancellationWindowHours, 24)
    assert.isNull(settings.senderName)
    assert.equal(settings.schedulingMode, 'requests')
    assert.equal(settings.quickExitUrl, 'https://www.weather.com/')
    assert.lengthOf(await auditRows(admin.id), 0)
  })

  test('a lead time at or under the window is saved, with a calm hint next to the field that reminders would come too late to cancel online', async ({ assert }) => {
    const ceo = await createStaff('ceo')
    const web = await signIn(ceo)
    const noteId = 'practice-defaultReminderLeadHours-note'

    // The shipped defaults (48 h lead, 24 h window): no hint.
    const coherent = await web.get('/portal-settings')
    assert.notInclude(coherent.text, `id="${noteId}"`)
    assert.notInclude(coherent.text, 'too late to cancel online')

    // 24 h lead with the 24 h window: accepted (not an error), and the hint says what it means.
    const saved = await web.send(await settingsForm(web, { defaultReminderLeadHours: '24' }))
    const page = await web.follow(saved)
    assert.include(page.text, 'The practice settings are saved.')
    assert.notInclude(page.text, 'class="error-summary"')
    assert.notInclude(page.text, 'id="practice-defaultReminderLeadHours-error"')
    assert.equal((await PracticeSetting.current()).defaultReminderLeadHours, 24)
    assert.match(page.text, new RegExp(`<span class="hint" id="${noteId}">With this lead time and a 24-hour cancellation window, reminders arrive when it is already too late to cancel online`))
    assert.match(page.text, new RegExp(`id="practice-defaultReminderLeadHours"[^>]*aria-describedby="practice-defaultReminderLeadHours-hint ${noteId}"`))

    // A wider window than the lead: the hint names it. A lead longer than the window: gone again.
    await web.send(await settingsForm(web, { cancellationWindowHours: '72' }))
    assert.include((await web.get('/portal-settings')).text, 'a 72-hour cancellation window')
    await web.send(await settingsForm(web, { defaultReminderLeadHours: '48', cancellationWindowHours: '24' }))
    assert.notInclude((await web.get('/portal-settings')).text, `id="${noteId}"`)
  })

  test('support staff and clinicians get the calm 403 and change nothing', async ({ assert }) => {
    for (const role of ['support_staff', 'clinician'] as const) {
      const web = await signIn(await createStaff(role))
      await web.get('/dashboard')
      const response = await web.post(ACTION, { defaultReminderLeadHours: '2', cancellationWindowHours: '0', remindersEnabled: '1' })
      assert.equal(response.status, 403, role)
      assert.include(response.text, 'This page is not available to you')
    }
    const settings = await PracticeSetting.current()
    assert.equal(settings.defaultReminderLeadHours, 48)
    assert.equal(settings.cancellationWindowHours, 24)
  })

  test('the cancellation window decides what staff cancelling marks late', async ({ assert }) => {
    const ceo = await createStaff('ceo')
    const clinician = await createStaff('clinician')
    const client = await createClient()
    let offset = 0
    // About 30 hours ahead, a few hours apart (no double booking).
    const in30Hours = () => createAppointment(client, clinician, { startsAt: DateTime.now().plus({ hours: 30 + 3 * offset++ }) })
    const web = await signIn(ceo)

    // Default 24 h: 30 hours ahead is not late.
    const first = await in30Hours()
    assert.include((await web.get(`/appointments/${first.id}`)).text, 'It starts in more than 24 hours')

    // A 48-hour window, set in Portal Settings: the same distance is now late.
    await web.send(await settingsForm(web, { cancellationWindowHours: '48' }))
    const second = await in30Hours()
    const page = await web.get(`/appointments/${second.id}`)
    assert.include(page.text, 'It starts in less than 48 hours, so the cancellation is recorded as a <strong>late cancellation</strong>.')
    await web.post(`/appointments/${second.id}/cancel`, {})
    assert.equal((await Appointment.findOrFail(second.id)).status, 'late_cancelled')

    // No window: never late, even an hour ahead.
    await web.send(await settingsForm(web, { cancellationWindowHours: '0' }))
    const soon = await createAppointment(client, clinician, { startsAt: DateTime.now().plus({ hours: 1 }) })
    assert.include((await web.get(`/appointments/${soon.id}`)).text, 'The practice does not count late cancellations')
    await web.post(`/appointments/${soon.id}/cancel`, {})
    assert.equal((await Appointment.findOrFail(soon.id)).status, 'cancelled')
  })

  test('a client added by staff starts with the practice’s default lead time; existing clients keep theirs', async ({ assert }) => {
    const existing = await createClient()
    const support = await createStaff('support_staff')
    await setSettings({ default_reminder_lead_hours: 2 })
    const web = await signIn(support)
    await web.get('/clients/new')
    const surname = `Leadtime${Date.now()}`
    const response = await web.post('/clients', {
      firstName: 'Robin',
      lastName: surname,
      preferredName: '',
      dateOfBirth: '1990-06-30',
      email: '',
      phone: '(608) 555-0134',
      addressLine1: '',
      addressLine2: '',
      city: '',
      region: '',
      postalCode: '',
      status: 'active',
      primaryClinicianId: '',
    })
    const client = await Client.findByOrFail('lastName', surname)
    assert.equal(response.location, `/clients/${client.id}`)
    assert.equal((await ClientPreference.findOrFail(client.id)).reminderLeadHours, 2)
    // The existing client keeps the lead it had: the column's default, 48 hours.
    assert.equal((await ClientPreference.findOrFail(existing.id)).reminderLeadHours, 48)
  })
})
