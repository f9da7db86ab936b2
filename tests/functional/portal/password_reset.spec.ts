import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import ClientUser from '#models/client_user'
import OneTimeToken from '#models/one_time_token'
import { COMMON_PASSWORD_MESSAGE } from '#validators/password'
import { WebSession, withoutCsrf } from '#tests/helpers/web'
import { deliverAll, groupSmtpCapture, linksIn } from '#tests/helpers/mail'
import { PASSWORD, createClient, createPortalAccount } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { NEW_PASSWORD, auditRows, outboxLink, pathOf, uniqueEmail } from '#tests/helpers/onboarding'

/*
| Portal password recovery over real HTTP, with the mail going through a
| real SMTP server.
*/
const decode = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')

async function askForLink(email: string, web = new WebSession()) {
  await web.get('/portal/forgot-password')
  const response = await web.post('/portal/forgot-password', { email })
  return { web, response, page: await web.follow(response) }
}

async function resetTokensOf(accountId: number) {
  return OneTimeToken.query().where({ clientUserId: accountId, purpose: 'password_reset' }).orderBy('id')
}

async function signInWithPassword(email: string, password: string) {
  const web = new WebSession()
  await web.get('/portal/login')
  return (await web.post('/portal/login', { email, password })).location
}

test.group('Portal password reset', (group) => {
  const smtp = groupSmtpCapture(group)

  test('the answer is the same for a known and an unknown email; only the known one gets a link', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    const unknown = uniqueEmail('nobody')
    const before = await auditRows('portal.password_reset.requested')

    const known = await askForLink(account.email.toUpperCase())
    const stranger = await askForLink(unknown)
    assert.equal(known.response.status, 302)
    assert.equal(known.response.location, stranger.response.location)
    assert.equal(known.page.status, stranger.page.status)
    assert.equal(withoutCsrf(known.page.text), withoutCsrf(stranger.page.text))
    assert.include(known.page.text, 'Check your email')
    assert.notInclude(known.page.text, account.email)

    assert.lengthOf(await resetTokensOf(account.id), 1)
    await deliverAll()
    await smtp.waitFor(() => smtp.to(account.email).length === 1)
    assert.lengthOf(smtp.to(unknown), 0)
    assert.lengthOf(await db.connection('machinery').from('mail_messages').where('recipient', unknown), 0)

    // Both requests are recorded the same way: anonymous, without the email.
    const events = (await auditRows('portal.password_reset.requested')).slice(before.length)
    assert.lengthOf(events, 2)
    for (const event of events) {
      assert.equal(event.actor_kind, 'anonymous')
      assert.isNull(event.actor_id)
      assert.deepEqual(event.detail, {})
    }
  }).timeout(30_000)

  test('the emailed link sets a new password, ends every other session and sends "password changed"', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    const elsewhere = await signIn(account)
    assert.equal((await elsewhere.get('/portal')).status, 200)

    await askForLink(account.email)
    await deliverAll()
    const [message] = await smtp.waitFor(() => smtp.to(account.email).length === 1).then(() => smtp.to(account.email))
    const link = linksIn(message).find((candidate) => candidate.includes('/portal/reset-password/'))!
    assert.exists(link)
    const token = pathOf(link).split('/').pop()!
    const [stored] = await resetTokensOf(account.id)
    assert.equal(stored.tokenHash, createHash('sha256').update(token).digest('hex'))
    assert.closeTo(stored.expiresAt.diff(DateTime.now(), 'minutes').minutes, 60, 1)

    // Opening it (twice) spends nothing.
    const web = new WebSession()
    for (let i = 0; i < 2; i++) {
      const page = await web.get(pathOf(link))
      assert.equal(page.status, 200)
      assert.include(page.text, 'Choose a new password')
    }
    assert.isNull((await OneTimeToken.findOrFail(stored.id)).usedAt)

    const saved = await web.post(pathOf(link), { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
    assert.equal(saved.location, '/portal/login')
    assert.include((await web.follow(saved)).text, 'Your password is changed. Please sign in with your new password.')

    // The other browser's session has ended.
    assert.equal((await elsewhere.get('/portal')).location, '/portal/login')
    const reloaded = await ClientUser.findOrFail(account.id)
    assert.equal(reloaded.sessionEpoch, account.sessionEpoch + 1)
    assert.equal(await signInWithPassword(account.email, PASSWORD), '/portal/login')
    assert.equal(await signInWithPassword(account.email, NEW_PASSWORD), '/portal')

    await deliverAll()
    const changed = await smtp.waitFor(() => smtp.to(account.email).length === 2).then(() => smtp.to(account.email)[1])
    assert.match(changed.subject, /password was changed/)
    assert.lengthOf(linksIn(changed).filter((candidate) => candidate.includes('/reset-password/')), 0)

    const [completed] = await auditRows('portal.password_reset.completed', { actor_id: account.id })
    assert.equal(completed.actor_kind, 'client_user')

    // Spent: the same link now shows the page every dead link shows.
    const reused = await new WebSession().get(pathOf(link))
    assert.equal(reused.status, 404)
    const unknownInvitation = await new WebSession().get(`/portal/invitations/${randomBytes(32).toString('base64url')}`)
    assert.equal(withoutCsrf(reused.text), withoutCsrf(unknownInvitation.text))
  }).timeout(30_000)

  test('a common password is refused with a clear message and the link stays usable', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    await askForLink(account.email)
    const path = pathOf(await outboxLink('password_reset', account.email))
    const web = new WebSession()
    assert.include(decode((await web.get(path)).text), 'nothing easy to guess')

    const common = await web.post(path, { password: 'iloveyou12345', password_confirmation: 'iloveyou12345' })
    assert.equal(common.location, path)
    assert.include(decode((await web.follow(common)).text), COMMON_PASSWORD_MESSAGE)
    const [token] = await resetTokensOf(account.id)
    assert.isNull(token.usedAt)
    assert.isTrue(await (await ClientUser.findOrFail(account.id)).verifyPassword(PASSWORD))
  })

  test('only the newest link works; expired and unknown links show the dead-link page', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    await askForLink(account.email)
    const firstPath = pathOf(await outboxLink('password_reset', account.email))
    await askForLink(account.email)
    const secondPath = pathOf(await outboxLink('password_reset', account.email))
    assert.notEqual(firstPath, secondPath)

    assert.equal((await new WebSession().get(firstPath)).status, 404)
    assert.equal((await new WebSession().get(secondPath)).status, 200)
    await OneTimeToken.query()
      .where({ clientUserId: account.id, purpose: 'password_reset' })
      .update({ expiresAt: DateTime.now().minus({ minutes: 1 }).toSQL() })
    const expired = await new WebSession().get(secondPath)
    const unknown = await new WebSession().get(`/portal/reset-password/${randomBytes(32).toString('base64url')}`)
    assert.equal(expired.status, 404)
    assert.equal(withoutCsrf(expired.text), withoutCsrf(unknown.text))
    assert.include(expired.text, 'This link no longer works')
  })

  test('a disabled account gets the same answer and no link', async ({ assert }) => {
    const account = await createPortalAccount(await createClient(), 'self', { status: 'disabled' })
    const { page } = await askForLink(account.email)
    assert.include(page.text, 'Check your email')
    assert.lengthOf(await resetTokensOf(account.id), 0)
  })
})
