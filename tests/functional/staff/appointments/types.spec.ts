import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AppointmentType from '#models/appointment_type'
import { createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { uniqueWord, optionsOf, createType } from '#tests/functional/staff/appointments/helpers'

test.group('Staff appointments: appointment types', () => {
  for (const role of ['ceo', 'admin'] as const) {
    test(`a ${role} lists, adds, changes, deactivates and offers again a type`, async ({ assert }) => {
      const staff = await createStaff(role)
      const web = await signIn(staff)
      const name = uniqueWord('Couples therapy')

      const list = await web.get('/appointments/types')
      assert.equal(list.status, 200)
      assert.include(list.text, '<h1>Appointment types</h1>')
      assert.include((await web.get('/appointments')).text, 'href="/appointments/types"')

      const added = await web.post('/appointments/types', { name, defaultMinutes: '80', isTelehealth: '1' })
      assert.equal(added.location, '/appointments/types')
      const type = await AppointmentType.findByOrFail('name', name)
      assert.equal(type.defaultMinutes, 80)
      assert.isTrue(type.isTelehealth)
      assert.isTrue(type.isActive)
      assert.include((await web.follow(added)).text, `<th scope="row">${name}</th>`)

      await web.get(`/appointments/types/${type.id}/edit`)
      const renamed = `${name} (renamed)`
      const changed = await web.post(`/appointments/types/${type.id}`, { name: renamed, defaultMinutes: '60' })
      assert.equal(changed.location, '/appointments/types')
      await type.refresh()
      assert.equal(type.name, renamed)
      assert.equal(type.defaultMinutes, 60)
      assert.isFalse(type.isTelehealth)

      await web.post(`/appointments/types/${type.id}/deactivate`, {})
      await type.refresh()
      assert.isFalse(type.isActive)
      assert.notInclude(optionsOf((await web.get('/appointments/new')).text, 'field-appointmentTypeId'), String(type.id))

      await web.get('/appointments/types')
      await web.post(`/appointments/types/${type.id}/activate`, {})
      await type.refresh()
      assert.isTrue(type.isActive)
      assert.include(optionsOf((await web.get('/appointments/new')).text, 'field-appointmentTypeId'), String(type.id))

      const actions = (await db.from('audit_events').where({ actor_id: staff.id, actor_kind: 'staff' }).whereLike('action', 'staff.appointment_type.%').orderBy('id')).map((row) => row.action)
      assert.deepEqual(actions, [
        'staff.appointment_type.created',
        'staff.appointment_type.updated',
        'staff.appointment_type.deactivated',
        'staff.appointment_type.activated',
      ])
    })
  }

  test('a type name is unique whatever its letter case; lengths are checked', async ({ assert }) => {
    const existing = await createType()
    const web = await signIn(await createStaff('admin'))
    await web.get('/appointments/types')

    const duplicate = await web.post('/appointments/types', { name: existing.name.toUpperCase(), defaultMinutes: '50' })
    const page = await web.follow(duplicate)
    assert.include(page.text, 'There is already a type with this name.')
    assert.include(page.text, `value="${existing.name.toUpperCase()}"`)

    const tooLong = await web.post('/appointments/types', { name: uniqueWord('Long'), defaultMinutes: '600' })
    assert.include((await web.follow(tooLong)).text, 'Please give a length from 5 to 480 minutes.')
  })

  for (const role of ['support_staff', 'clinician'] as const) {
    test(`a ${role} may not manage types (403)`, async ({ assert }) => {
      const type = await createType()
      const web = await signIn(await createStaff(role))
      assert.equal((await web.get('/appointments/types')).status, 403)
      assert.equal((await web.get(`/appointments/types/${type.id}/edit`)).status, 403)
      assert.notInclude((await web.get('/appointments')).text, 'href="/appointments/types"')
      for (const [path, form] of [
        ['/appointments/types', { name: uniqueWord('Sneaky'), defaultMinutes: '50' }],
        [`/appointments/types/${type.id}`, { name: uniqueWord('Sneaky'), defaultMinutes: '50' }],
        [`/appointments/types/${type.id}/deactivate`, {}],
      ] as const) {
        assert.equal((await web.post(path, form)).status, 403)
      }
      await type.refresh()
      assert.isTrue(type.isActive)
    })
  }
})
