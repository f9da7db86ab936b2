import { test } from '@japa/runner'
import Client from '#models/client'
import { createClient, createStaff } from '#database/factories/main'
import { browserForm, withChanges } from '#tests/helpers/forms'
import { signIn } from '#tests/helpers/sign_in'

test.group('A client record: languages', () => {
  test('staff record the language for sessions, an interpreter, and the language of emails', async ({ assert }) => {
    const client = await createClient()
    const web = await signIn(await createStaff('admin'))
    const editPath = `/clients/${client.id}/edit`
    const form = browserForm((await web.get(editPath)).text, `/clients/${client.id}`)
    assert.includeDeepMembers(form.entries, [['sessionLanguage', ''], ['emailLanguage', 'en']])

    const changed = withChanges(form, { sessionLanguage: 'vi', emailLanguage: 'es' })
    // Ticking the box adds it to what the browser sends.
    changed.entries.push(['interpreterNeeded', '1'])
    const saved = await web.send(changed, { referer: new URL(editPath, web.baseUrl).href })
    assert.equal(saved.status, 302)
    const record = await Client.findOrFail(client.id)
    assert.equal(record.sessionLanguage, 'vi')
    assert.isTrue(record.interpreterNeeded)
    assert.equal(record.emailLanguage, 'es')

    const page = (await web.get(`/clients/${client.id}`)).text
    assert.include(page, 'Tiếng Việt (interpreter needed)')
    assert.include(page, 'Español')
  })

  test('only English and Spanish are languages of emails', async ({ assert }) => {
    const client = await createClient()
    const web = await signIn(await createStaff('admin'))
    const editPath = `/clients/${client.id}/edit`
    const form = browserForm((await web.get(editPath)).text, `/clients/${client.id}`)
    const refused = await web.send(withChanges(form, { emailLanguage: 'fr' }), { referer: new URL(editPath, web.baseUrl).href })
    const page = (await web.follow(refused)).text
    assert.include(page, 'id="field-emailLanguage-error">Please choose one of the options.')
    assert.equal((await Client.findOrFail(client.id)).emailLanguage, 'en')
  })
})
