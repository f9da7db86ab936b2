import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import PracticeSetting from '#models/practice_setting'
import practice from '#config/practice'

test.group('Practice settings', (group) => {
  group.each.teardown(async () => {
    await db.from('practice_settings').where('id', 1).update({ sender_name: null, cancellation_window_hours: 24 })
    PracticeSetting.forget()
  })

  test('one row, with the defaults', async ({ assert }) => {
    const settings = await PracticeSetting.current()
    assert.isTrue(settings.remindersEnabled)
    // A reminder goes out 48 hours ahead, before the 24-hour window: the client can still cancel online.
    assert.equal(settings.defaultReminderLeadHours, 48)
    assert.equal(settings.cancellationWindowHours, 24)
    assert.equal(settings.mailSenderName, practice.name)
    const second = await db.table('practice_settings').insert({ id: 2 }).then(() => null, (error) => error)
    assert.match(String(second?.message), /practice_settings_single_row/)
  })

  test('a change reaches this process after forget(), and others within seconds', async ({ assert }) => {
    await PracticeSetting.current()
    await db.from('practice_settings').where('id', 1).update({ sender_name: 'Riverbend Care', cancellation_window_hours: 48 })
    assert.equal((await PracticeSetting.current()).mailSenderName, practice.name, 'still the cached row')
    PracticeSetting.forget()
    const settings = await PracticeSetting.current()
    assert.equal(settings.mailSenderName, 'Riverbend Care')
    assert.equal(settings.cancellationWindowHours, 48)
  })
})
