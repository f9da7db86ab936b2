import { test } from '@japa/runner'
import { createClient, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'

test.group('Ending sessions from the server', () => {
  test('bumping a staff account session epoch signs out its open session', async ({ assert }) => {
    const staff = await createStaff('admin')
    const web = await signIn(staff)
    assert.equal((await web.get('/dashboard')).status, 200)

    await staff.endAllSessions()
    const response = await web.get('/dashboard')
    assert.equal(response.status, 302)
    assert.equal(response.location, '/login')
    // And it stays signed out: the guard's key is gone.
    assert.equal((await web.get('/dashboard')).location, '/login')
  })

  test('bumping a portal account session epoch signs out its open session', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    const web = await signIn(account)
    await account.endAllSessions()
    assert.equal((await web.get('/portal')).location, '/portal/login')
  })

  test('disabling a portal account signs it out on the next request', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    const web = await signIn(account)
    account.status = 'disabled'
    await account.save()
    assert.equal((await web.get('/portal')).location, '/portal/login')
  })

  test('deactivating a staff user signs them out on the next request', async ({ assert }) => {
    const staff = await createStaff('support_staff')
    const web = await signIn(staff)
    staff.isActive = false
    await staff.save()
    assert.equal((await web.get('/dashboard')).location, '/login')
  })
})
