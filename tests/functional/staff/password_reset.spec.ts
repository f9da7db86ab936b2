import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import OneTimeToken from '#models/one_time_token'
import { WebSession, withoutCsrf } from '#tests/helpers/web'
import { deliverAll, groupSmtpCapture, linksIn } from '#tests/helpers/mail'
import { createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { NEW_PASSWORD, auditRows, uniqueEmail } from '#tests/helpers/onboarding'

/* Staff password recovery over real HTTP, mail through a real SMTP server. */

async function askForLink(email: string) {
  const web = new WebSession()
  await web.get('/forgot-password')
  const response = await web.post('/forgot-password', { email })
  return { response, page: await web.follow(response) }
}

test.group('Staff password reset', (group) => {
  const smtp = groupSmtpCapture(group)

  test('the same answer for every email; the link works once, ends other sessions and sends a notice', async ({ assert }) => {
    const staff = await createStaff('clinician')
    const open = await signIn(staff)
    const unknown = uniqueEmail('nobody')

    const known = await askForLink(staff.email)
    const stranger = await askForLink(unknown)
    assert.equal(known.response.location, '/forgot-password/sent')
    assert.equal(withoutCsrf(known.page.text), withoutCsrf(stranger.page.text))

    await deliverAll()
    await smtp.waitFor(() => smtp.to(staff.email).length === 1)
    assert.lengthOf(smtp.to(unknown), 0)
    const [message] = smtp.to(staff.email)
    assert.include(message.text, 'staff account')
    const path = new URL(linksIn(message).find((link) => link.includes('/reset-password/'))!).pathname
    const token = path.split('/').pop()!
    const row = await OneTimeToken.findByOrFail('tokenHash', OneTimeToken.hashToken(token))
    assert.equal(row.staffUserId, staff.id)
    assert.isNull(row.clientUserId)
    assert.approximately(row.expiresAt.diffNow('minutes').minutes, 60, 1)

    const web = new WebSession()
    assert.equal((await web.get(path)).status, 200)
    assert.equal((await web.get(path)).status, 200, 'reading spends nothing')
    const short = await web.post(path, { password: 'short-pass', password_confirmation: 'short-pass' })
    assert.equal(short.location, path)
    assert.include((await web.get(path)).text, 'at least 12 characters')

    assert.equal((await web.post(path, { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })).location, '/login')
    assert.equal((await web.get(path)).status, 404, 'used once')
    assert.equal((await open.get('/dashboard')).location, '/login', 'other sessions ended')

    await deliverAll()
    await smtp.waitFor(() => smtp.to(staff.email).length === 2)
    assert.include(smtp.to(staff.email)[1].subject, 'password was changed')

    await web.get('/login')
    assert.equal((await web.post('/login', { email: staff.email, password: NEW_PASSWORD })).location, '/dashboard')
    assert.isTrue((await auditRows('staff.password_reset.completed')).some((event) => event.actor_id === staff.id))
    // A portal reset page does not take a staff link.
    assert.equal((await new WebSession().get(`/portal${path}`)).status, 404)
    assert.lengthOf(await db.connection('machinery').from('mail_messages').where('recipient', unknown), 0)
  })
})
