import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#models/staff_user'
import Appointment from '#models/appointment'
import { changeStaffRole } from '#actions/staff_accounts/change_staff_role'
import { deactivateStaff } from '#actions/staff_accounts/deactivate_staff'
import { SYSTEM_ACTOR } from '#support/actor'
import { WebSession } from '#tests/helpers/web'
import { deliverAll, groupSmtpCapture, linksIn } from '#tests/helpers/mail'
import { createAppointment, createClient, createStaff } from '#database/factories/main'
import { runCommand } from '#tests/helpers/ace'
import { signIn } from '#tests/helpers/sign_in'
import { NEW_PASSWORD, auditRows, uniqueEmail } from '#tests/helpers/onboarding'

/*
| Staff accounts (/staff) over real HTTP, invitations through a real SMTP
| server, and `node ace staff:deactivate`.
*/

/**
 * The shared test database holds many ceos; rules about "the last active
 * ceo" need these to be the only ones. Tests run one at a time, so the
 * others are switched off for the test and switched back on after it.
 */
async function onlyActiveCeos(keep: StaffUser[]) {
  const result = await db.rawQuery(
    `update staff_users set is_active = false where role = 'ceo' and is_active and not (id = any(?)) returning id`,
    [keep.map((staff) => staff.id)]
  )
  const parked = (result.rows as { id: number }[]).map((row) => row.id)
  return async () => {
    if (parked.length) await db.from('staff_users').whereIn('id', parked).update({ is_active: true })
  }
}

const roleOf = async (staff: StaffUser) => (await StaffUser.findOrFail(staff.id)).role
const refusal = async (web: WebSession) => (await web.get('/staff')).text

test.group('Staff accounts: access and list', () => {
  test('ceo and admin see the list with role, status and last sign-in; others get 403', async ({ assert }) => {
    const ceo = await createStaff('ceo')
    const web = await signIn(ceo)
    const page = await web.get('/staff')
    assert.equal(page.status, 200)
    assert.include(page.text, ceo.email)
    assert.include(page.text, 'Practice owner')
    assert.include(page.text, 'Last sign-in')
    assert.include(page.text, 'This is you')

    assert.equal((await (await signIn(await createStaff('admin'))).get('/staff')).status, 200)
    for (const role of ['support_staff', 'clinician'] as const) {
      const other = await signIn(await createStaff(role))
      assert.equal((await other.get('/staff')).status, 403, role)
      const target = await createStaff('clinician')
      assert.equal((await other.post(`/staff/${target.id}/deactivate`)).status, 403, role)
      assert.isTrue((await StaffUser.findOrFail(target.id)).isActive)
    }
  })
})

test.group('Staff accounts: invitations', (group) => {
  const smtp = groupSmtpCapture(group)

  test('an invitation is received by email and completed; the link works once and GET spends nothing', async ({ assert }) => {
    const admin = await createStaff('admin')
    const web = await signIn(admin)
    const email = uniqueEmail('New-Staff')
    await web.get('/staff')
    const sent = await web.post('/staff/invitations', { name: 'Robin Vale', email, role: 'clinician' })
    assert.equal(sent.location, '/staff#invite')
    const invited = await StaffUser.findByOrFail('email', email.toLowerCase())
    assert.equal(invited.role, 'clinician')
    assert.isTrue(invited.isInvited)
    assert.include((await web.get('/staff')).text, 'Invited')

    await deliverAll()
    await smtp.waitFor(() => smtp.to(email).length === 1)
    const [message] = smtp.to(email)
    const link = linksIn(message).find((href) => href.includes('/staff/invitations/'))!
    assert.match(link, /\/staff\/invitations\/[A-Za-z0-9_-]{43}$/)
    const path = new URL(link).pathname

    const person = new WebSession()
    assert.equal((await person.get(path)).status, 200)
    assert.equal((await person.get(path)).status, 200, 'opening the link twice spends nothing')

    const weak = await person.post(path, { password: 'password1234', password_confirmation: 'password1234' })
    assert.equal(weak.location, path)
    assert.include((await person.get(path)).text, 'too easy to guess')

    const done = await person.post(path, { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
    assert.equal(done.location, '/login')
    assert.equal((await person.get(path)).status, 404, 'the link works once')

    await person.get('/login')
    assert.equal((await person.post('/login', { email, password: NEW_PASSWORD })).location, '/dashboard')
    assert.isFalse((await StaffUser.findOrFail(invited.id)).isInvited)

    const events = await auditRows('staff.staff_account.invited')
    assert.isTrue(events.some((event) => event.actor_id === admin.id && event.detail.staffId === invited.id))
    assert.notInclude(JSON.stringify(events.at(-1)), email.toLowerCase())
  })

  test('an admin cannot invite a practice owner; an email already in use is a form error', async ({ assert }) => {
    const admin = await createStaff('admin')
    const web = await signIn(admin)
    const email = uniqueEmail('would-be-owner')
    await web.get('/staff')
    await web.post('/staff/invitations', { name: 'Would Be', email, role: 'ceo' })
    assert.include((await web.get('/staff')).text, 'Only a practice owner can invite a practice owner.')
    assert.isNull(await StaffUser.findBy('email', email.toLowerCase()))

    await web.post('/staff/invitations', { name: 'Twice', email: admin.email, role: 'clinician' })
    assert.include((await web.get('/staff')).text, 'A staff account with this email exists already.')
  })
})

test.group('Staff accounts: role rules', () => {
  test('an admin cannot make or change a practice owner', async ({ assert }) => {
    const admin = await createStaff('admin')
    const ceo = await createStaff('ceo')
    const clinician = await createStaff('clinician')
    const web = await signIn(admin)
    await web.get('/staff')

    await web.post(`/staff/${clinician.id}/role`, { role: 'ceo' })
    assert.include(await refusal(web), 'Only a practice owner can make someone a practice owner')
    assert.equal(await roleOf(clinician), 'clinician')

    await web.post(`/staff/${ceo.id}/role`, { role: 'clinician' })
    assert.equal(await roleOf(ceo), 'ceo')
    await web.post(`/staff/${ceo.id}/deactivate`)
    assert.isTrue((await StaffUser.findOrFail(ceo.id)).isActive)

    await web.post(`/staff/${clinician.id}/role`, { role: 'support_staff' })
    assert.equal(await roleOf(clinician), 'support_staff')
    const changes = await auditRows('staff.staff_account.role_changed')
    assert.deepInclude(changes.at(-1).detail, { staffId: clinician.id, from: 'clinician', to: 'support_staff' })
  })

  test('nobody demotes or deactivates themselves', async ({ assert }) => {
    for (const role of ['ceo', 'admin'] as const) {
      const me = await createStaff(role)
      const web = await signIn(me)
      await web.get('/staff')
      await web.post(`/staff/${me.id}/role`, { role: 'clinician' })
      assert.include(await refusal(web), 'You cannot change your own role.')
      await web.post(`/staff/${me.id}/deactivate`)
      assert.include(await refusal(web), 'You cannot deactivate your own account.')
      const fresh = await StaffUser.findOrFail(me.id)
      assert.equal(fresh.role, role)
      assert.isTrue(fresh.isActive)
    }
  })

  test('the last active practice owner cannot be demoted or deactivated', async ({ assert }) => {
    const ceo = await createStaff('ceo')
    const restore = await onlyActiveCeos([ceo])
    try {
      await assert.rejects(() => changeStaffRole(ceo.id, 'admin', SYSTEM_ACTOR), /only active practice owner/)
      await assert.rejects(() => deactivateStaff(ceo.id, SYSTEM_ACTOR), /only active practice owner/)

      const result = await runCommand('staff:deactivate', ['--email', ceo.email])
      assert.equal(result.code, 1, result.output)
      assert.include(result.output, 'only active practice owner')
      assert.isTrue((await StaffUser.findOrFail(ceo.id)).isActive)
    } finally {
      await restore()
    }
  })

  test('two simultaneous demotions of the last two practice owners leave one', async ({ assert }) => {
    const first = await createStaff('ceo')
    const second = await createStaff('ceo')
    const restore = await onlyActiveCeos([first, second])
    try {
      // Each demotes the other, at the same moment, over HTTP.
      const [webFirst, webSecond] = [await signIn(first), await signIn(second)]
      await Promise.all([webFirst.get('/staff'), webSecond.get('/staff')])
      await Promise.all([
        webFirst.post(`/staff/${second.id}/role`, { role: 'admin' }),
        webSecond.post(`/staff/${first.id}/role`, { role: 'admin' }),
      ])
      const roles = [await roleOf(first), await roleOf(second)]
      assert.include(roles, 'ceo')
      assert.include(roles, 'admin', 'one of the two went through')

      // And an operator's two at once, both allowed alone: exactly one wins.
      const third = await createStaff('ceo')
      const owners = [roles[0] === 'ceo' ? first : second, third]
      const results = await Promise.allSettled(owners.map((owner) => changeStaffRole(owner.id, 'admin', SYSTEM_ACTOR)))
      assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1)
      const left = await db.from('staff_users').where({ role: 'ceo', is_active: true }).whereIn('id', owners.map((o) => o.id))
      assert.lengthOf(left, 1)
    } finally {
      await restore()
    }
  })
})

test.group('Staff accounts: deactivation', () => {
  test('deactivating ends an open session on its next request and keeps the history; reactivating lets them back', async ({ assert }) => {
    const ceo = await createStaff('ceo')
    const clinician = await createStaff('clinician')
    const appointment = await createAppointment(await createClient({ primaryClinicianId: clinician.id }), clinician)
    const theirs = await signIn(clinician)
    assert.equal((await theirs.get('/dashboard')).status, 200)

    const web = await signIn(ceo)
    await web.get('/staff')
    const response = await web.post(`/staff/${clinician.id}/deactivate`)
    assert.equal(response.location, '/staff#accounts')
    assert.include((await web.get('/staff')).text, 'Deactivated')

    assert.equal((await theirs.get('/dashboard')).location, '/login')
    const again = new WebSession()
    await again.get('/login')
    assert.equal((await again.post('/login', { email: clinician.email, password: 'a-long-test-password-42' })).location, '/login')

    const kept = await Appointment.findOrFail(appointment.id)
    assert.equal(kept.providerId, clinician.id)
    const events = await auditRows('staff.staff_account.deactivated')
    assert.isTrue(events.some((event) => event.actor_id === ceo.id && event.detail.staffId === clinician.id))

    await web.get('/staff')
    await web.post(`/staff/${clinician.id}/reactivate`)
    assert.isTrue((await StaffUser.findOrFail(clinician.id)).isActive)
    await signIn(clinician)
  })

  test('node ace staff:deactivate deactivates with the same rules, audited as the system', async ({ assert }) => {
    const support = await createStaff('support_staff')
    const web = await signIn(support)
    const result = await runCommand('staff:deactivate', ['--email', support.email.toUpperCase()])
    assert.equal(result.code, 0, result.output)
    assert.isFalse((await StaffUser.findOrFail(support.id)).isActive)
    assert.equal((await web.get('/dashboard')).location, '/login')
    const events = await auditRows('operator.staff_account.deactivated')
    assert.isTrue(events.some((event) => event.actor_kind === 'system' && event.detail.staffId === support.id))

    const unknown = await runCommand('staff:deactivate', ['--email', 'nobody-here@staff.test'])
    assert.equal(unknown.code, 1)
    assert.include(unknown.output, 'no staff account uses')
  })
})
