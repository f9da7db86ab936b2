import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import ClientPreference from '#models/client_preference'
import { createClient, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { browserForm, type BrowserForm } from '#tests/helpers/forms'

/*
| A client's reminder preference and contact rules on the staff client page
| (DESIGN §15): everyone who may open the record sees them; ceo, admin and
| support staff edit them in a small form of its own; each change is audited
| with the changed field names only.
*/
const actionOf = (clientId: number) => `/clients/${clientId}/contact-rules`

function auditRows(clientId: number) {
  return db.from('audit_events').where({ action: 'staff.client.contact_rules_updated', client_id: clientId }).orderBy('id', 'asc')
}

/** The form as a browser sends it, with fields set and boxes ticked (a value) or unticked (null). */
function withEntries(form: BrowserForm, changes: Record<string, string | null>): BrowserForm {
  const entries = form.entries.filter(([name]) => !(name in changes))
  for (const [name, value] of Object.entries(changes)) if (value !== null) entries.push([name, value])
  return { ...form, entries }
}

test.group('Staff client record: reminders and contact rules', () => {
  test('support staff, admin and ceo see and edit them; only changed field names are audited', async ({ assert }) => {
    for (const role of ['support_staff', 'admin', 'ceo'] as const) {
      const client = await createClient()
      const staff = await createStaff(role)
      const web = await signIn(staff)
      const page = await web.get(`/clients/${client.id}`)
      assert.include(page.text, 'Reminders and contact rules')
      assert.include(page.text, 'May we text (recorded; the portal sends no texts)')
      const form = browserForm(page.text, actionOf(client.id))
      assert.deepInclude(form.entries, ['reminderChannel', 'email'])
      // A new client starts with the default lead time, 48 hours (before the 24-hour cancellation window).
      assert.deepInclude(form.entries, ['reminderLeadHours', '48'])

      const response = await web.send(
        withEntries(form, { reminderChannel: 'none', reminderLeadHours: '2', consentEmail: null, consentSms: '1', consentDetailsInEmail: '1' })
      )
      assert.equal(response.location, `/clients/${client.id}#contact-rules`, role)
      assert.include((await web.follow(response)).text, 'The contact rules are saved.')

      const saved = await ClientPreference.findOrFail(client.id)
      assert.equal(saved.reminderChannel, 'none')
      assert.equal(saved.reminderLeadHours, 2)
      assert.isFalse(saved.consentEmail)
      assert.isTrue(saved.consentSms)
      assert.isTrue(saved.consentDetailsInEmail)

      const rows = await auditRows(client.id)
      assert.lengthOf(rows, 1)
      assert.equal(rows[0].actor_kind, 'staff')
      assert.equal(rows[0].actor_id, staff.id)
      const before = await ClientPreference.findOrFail(client.id)
      const changed = ['reminderChannel', 'reminderLeadHours', 'consentSms', 'consentDetailsInEmail']
      // consentEmail: the factory's default decides whether it changed.
      const fields = String(rows[0].detail.fields).split(',')
      for (const field of changed) assert.include(fields, field)
      assert.deepEqual(Object.keys(rows[0].detail).sort(), ['clientId', 'fields'])
      assert.notInclude(JSON.stringify(rows[0].detail), 'none')

      // The page shows the saved rules; sending them again changes and audits nothing.
      const again = await web.get(`/clients/${client.id}`)
      const sameForm = browserForm(again.text, actionOf(client.id))
      assert.deepInclude(sameForm.entries, ['consentSms', '1'])
      assert.deepInclude(sameForm.entries, ['reminderLeadHours', '2'])
      const same = await web.send(sameForm)
      assert.include((await web.follow(same)).text, 'Nothing was changed.')
      assert.lengthOf(await auditRows(client.id), 1)
      assert.equal((await ClientPreference.findOrFail(client.id)).updatedAt?.toMillis?.(), before.updatedAt?.toMillis?.())
    }
  })

  test('invalid values are refused next to their fields, and nothing changes', async ({ assert }) => {
    const client = await createClient()
    const web = await signIn(await createStaff('admin'))
    const form = browserForm((await web.get(`/clients/${client.id}`)).text, actionOf(client.id))
    for (const [changes, field] of [
      [{ reminderChannel: 'sms' }, 'reminderChannel'],
      [{ reminderLeadHours: '0' }, 'reminderLeadHours'],
      [{ reminderLeadHours: '500' }, 'reminderLeadHours'],
    ] as const) {
      const response = await web.send(withEntries(form, { ...changes, consentSms: '1' }))
      const page = await web.follow(response)
      assert.include(page.text, `id="contact-rules-${field}-error"`, field)
      assert.include(page.text, `href="#contact-rules-${field}"`)
    }
    const saved = await ClientPreference.findOrFail(client.id)
    assert.equal(saved.reminderChannel, 'email')
    assert.equal(saved.reminderLeadHours, 48)
    assert.isFalse(saved.consentSms)
    assert.lengthOf(await auditRows(client.id), 0)
  })

  test('a clinician sees their caseload client’s rules but may not edit them; another client is a 404', async ({ assert }) => {
    const clinician = await createStaff('clinician')
    const mine = await createClient({ primaryClinicianId: clinician.id })
    const other = await createClient()
    const web = await signIn(clinician)

    const page = await web.get(`/clients/${mine.id}`)
    assert.include(page.text, 'Reminders and contact rules')
    assert.include(page.text, 'May we text')
    assert.notInclude(page.text, actionOf(mine.id))

    const refused = await web.post(actionOf(mine.id), { reminderChannel: 'none', reminderLeadHours: '2', consentSms: '1' })
    assert.equal(refused.status, 403)
    const hidden = await web.post(actionOf(other.id), { reminderChannel: 'none', reminderLeadHours: '2', consentSms: '1' })
    assert.equal(hidden.status, 404)

    for (const client of [mine, other]) {
      const saved = await ClientPreference.findOrFail(client.id)
      assert.equal(saved.reminderChannel, 'email')
      assert.isFalse(saved.consentSms)
      assert.lengthOf(await auditRows(client.id), 0)
    }
  })

  test('the form needs its CSRF token', async ({ assert }) => {
    const client = await createClient()
    const web = await signIn(await createStaff('support_staff'))
    await web.get(`/clients/${client.id}`)
    const response = await web.post(actionOf(client.id), { _csrf: null, reminderChannel: 'none', reminderLeadHours: '2' })
    assert.notEqual(response.location, `/clients/${client.id}#contact-rules`)
    assert.equal((await ClientPreference.findOrFail(client.id)).reminderChannel, 'email')
    assert.lengthOf(await auditRows(client.id), 0)
  })
})
