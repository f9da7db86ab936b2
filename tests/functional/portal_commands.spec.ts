import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import ClientUser from '#models/client_user'
import MailMessage from '#models/mail_message'
import OneTimeToken from '#models/one_time_token'
import PortalInvitation from '#models/portal_invitation'
import { createClient, createPortalAccount } from '#database/factories/main'
import { auditRows, invite, uniqueEmail } from '#tests/helpers/onboarding'
import { runCommand } from '#tests/helpers/ace'


test.group('node ace portal:invite', () => {
  test('invites a client with the same rules as Portal Settings, audited as the system', async ({ assert }) => {
    const client = await createClient()
    const email = uniqueEmail('Operator-Invite')
    const result = await runCommand('portal:invite', ['--client', String(client.id), '--email', email.toUpperCase()])
    assert.equal(result.code, 0, result.output)

    const invitation = await PortalInvitation.findByOrFail('clientId', client.id)
    assert.equal(invitation.email, email.toLowerCase())
    assert.equal(invitation.relationship, 'self')
    assert.isNull(invitation.sentById)
    assert.include(result.output, `Invitation #${invitation.id}`)
    const mail = await MailMessage.query().where({ template: 'portal_invitation', recipient: email.toLowerCase() }).firstOrFail()
    assert.match(String(mail.data.link), /\/portal\/invitations\/[A-Za-z0-9_-]{43}$/)

    const [event] = await auditRows('operator.invitation.sent', { client_id: client.id })
    assert.equal(event.actor_kind, 'system')
    assert.deepEqual(event.detail, { invitationId: invitation.id })

    const guardian = await runCommand('portal:invite', [
      '--client', String(client.id), '--email', uniqueEmail('caregiver'),
      '--relationship', 'authorized_caregiver', '--name', 'Casey Caregiver', '--consent',
    ])
    assert.equal(guardian.code, 0, guardian.output)
    assert.lengthOf(await PortalInvitation.query().where({ clientId: client.id, relationship: 'authorized_caregiver' }), 1)
  }).timeout(60_000)

  test('bad input exits non-zero with a clear message and sends nothing', async ({ assert }) => {
    const inactive = await createClient({ status: 'discharged' })
    const active = await createClient()
    const cases: [string[], string][] = [
      [['--email', uniqueEmail('x')], '--client'],
      [['--client', 'abc', '--email', uniqueEmail('x')], '--client: Please choose a client from the list.'],
      [['--client', String(active.id), '--email', 'not-an-email'], '--email: Please enter an email address'],
      [['--client', String(active.id), '--email', uniqueEmail('x'), '--relationship', 'cousin'], '--relationship'],
      [['--client', String(inactive.id), '--email', uniqueEmail('x')], 'is not an active client'],
      [
        ['--client', String(active.id), '--email', uniqueEmail('x'), '--relationship', 'authorized_caregiver', '--name', 'Casey'],
        '--consent',
      ],
    ]
    for (const [args, expected] of cases) {
      const result = await runCommand('portal:invite', args)
      assert.equal(result.code, 1, `${args.join(' ')}\n${result.output}`)
      assert.include(result.output, expected)
      assert.include(result.output, 'Nothing was sent.')
    }
    assert.lengthOf(await PortalInvitation.query().whereIn('clientId', [inactive.id, active.id]), 0)
  }).timeout(120_000)
})

test.group('node ace portal:disable', () => {
  test('disables the account and ends its sessions; bad or unknown emails exit non-zero', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    const result = await runCommand('portal:disable', ['--email', account.email.toUpperCase()])
    assert.equal(result.code, 0, result.output)
    const reloaded = await ClientUser.findOrFail(account.id)
    assert.equal(reloaded.status, 'disabled')
    assert.equal(reloaded.sessionEpoch, account.sessionEpoch + 1)
    assert.lengthOf(await MailMessage.query().where({ template: 'portal_access_disabled', recipient: account.email }), 1)
    const [event] = await auditRows('operator.portal_account.disabled', { actor_kind: 'system' }).whereRaw(
      `detail->>'accountId' = ?`,
      [String(account.id)]
    )
    assert.exists(event)

    const again = await runCommand('portal:disable', ['--email', account.email])
    assert.equal(again.code, 1)
    assert.include(again.output, 'already disabled')

    const unknown = await runCommand('portal:disable', ['--email', uniqueEmail('nobody')])
    assert.equal(unknown.code, 1)
    assert.include(unknown.output, 'no portal account uses')

    const invalid = await runCommand('portal:disable', ['--email', 'nope'])
    assert.equal(invalid.code, 1)
    assert.include(invalid.output, '--email: Please enter an email address')
  }).timeout(120_000)
})

test.group('node ace tokens:purge', () => {
  test('deletes long-expired unused tokens and never-accepted invitations, keeps the rest, and reports counts', async ({ assert }) => {
    const account = await createPortalAccount(await createClient())
    const token = (daysAgo: number, used = false) =>
      OneTimeToken.create({
        purpose: 'password_reset',
        clientUserId: account.id,
        tokenHash: `${Math.random().toString(16).slice(2)}${Date.now()}${daysAgo}`,
        expiresAt: DateTime.now().minus({ days: daysAgo }),
        usedAt: used ? DateTime.now().minus({ days: daysAgo + 1 }) : null,
      })
    const oldUnused = await token(31)
    const oldUsed = await token(31, true)
    const recentExpired = await token(2)

    const oldInvitation = (await invite(await createClient())).invitation
    const recentInvitation = (await invite(await createClient())).invitation
    const acceptedInvitation = (await invite(await createClient())).invitation
    await PortalInvitation.query().whereIn('id', [oldInvitation.id, acceptedInvitation.id]).update({
      expiresAt: DateTime.now().minus({ days: 40 }).toSQL(),
    })
    await PortalInvitation.query().where('id', acceptedInvitation.id).update({ acceptedAt: DateTime.now().minus({ days: 41 }).toSQL() })
    await PortalInvitation.query().where('id', recentInvitation.id).update({ expiresAt: DateTime.now().minus({ days: 1 }).toSQL() })

    const expectedTokens = Number(
      (await db.connection('machinery').from('one_time_tokens').whereNull('used_at').whereRaw(`expires_at < now() - interval '30 days'`).count('* as n'))[0].n
    )
    const expectedInvitations = Number(
      (await db.connection('machinery').from('portal_invitations').whereNull('accepted_at').whereRaw(`expires_at < now() - interval '30 days'`).count('* as n'))[0].n
    )

    const expectedActionLinks = Number(
      (await db.connection('machinery').from('appointment_action_links').whereRaw(`expires_at < now() - interval '30 days'`).count('* as n'))[0].n
    )

    // Two delivered reminders: one whose links have expired (the appointment began), one still ahead.
    const mailRow = (label: string, linksExpireAt: DateTime) => ({
      template: 'appointment_reminder', recipient: `${label}-${Date.now()}@purge.test`, subject: 'A reminder', status: 'sent',
      message_id: `<${label}-${Date.now()}-${Math.random()}@purge.test>`, locale: 'en',
      data: JSON.stringify({ actionLink: 'https://example.test/portal/appointment-actions/secret', linksExpireAt: linksExpireAt.toISO() }),
    })
    const [expiredMail] = await db.connection('machinery').table('mail_messages').insert(mailRow('expired', DateTime.now().minus({ hours: 1 }))).returning('id')
    const [currentMail] = await db.connection('machinery').table('mail_messages').insert(mailRow('current', DateTime.now().plus({ days: 1 }))).returning('id')
    const expectedMails = Number(
      (await db.connection('machinery').from('mail_messages').whereIn('status', ['sent', 'failed'])
        .whereRaw(`(data->>'linksExpireAt')::timestamptz < now()`).whereRaw(`data->>'purged' is null`).count('* as n'))[0].n
    )

    const result = await runCommand('tokens:purge', [])
    assert.equal(result.code, 0, result.output)
    assert.include(
      result.output,
      `Deleted ${expectedTokens} expired one-time token(s), ${expectedInvitations} expired invitation(s) and ${expectedActionLinks} expired appointment action link(s) older than 30 days; emptied ${expectedMails} delivered mail(s) whose links had expired.`
    )

    assert.isNull(await OneTimeToken.find(oldUnused.id))
    assert.isNotNull(await OneTimeToken.find(oldUsed.id))
    assert.isNotNull(await OneTimeToken.find(recentExpired.id))
    assert.isNull(await PortalInvitation.find(oldInvitation.id))
    assert.isNotNull(await PortalInvitation.find(recentInvitation.id))
    assert.isNotNull(await PortalInvitation.find(acceptedInvitation.id))

    const [event] = (await auditRows('operator.tokens.purged', { actor_kind: 'system' })).slice(-1)
    assert.deepEqual(event.detail, { tokens: expectedTokens, invitations: expectedInvitations, actionLinks: expectedActionLinks, mails: expectedMails, days: 30 })
    assert.isAtLeast(expectedMails, 1)
    const mailData = async (id: number) => (await db.connection('machinery').from('mail_messages').where('id', id).firstOrFail()).data
    assert.deepEqual(await mailData(expiredMail.id), { purged: true })
    assert.include(JSON.stringify(await mailData(currentMail.id)), 'appointment-actions/secret')

    const bad = await runCommand('tokens:purge', ['--days', 'soon'])
    assert.equal(bad.code, 1)
    assert.include(bad.output, '--days: Please give a whole number of days.')
    assert.include(bad.output, 'Nothing was deleted.')
  }).timeout(60_000)
})
