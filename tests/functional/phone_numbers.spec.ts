import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Client from '#models/client'
import EmergencyContact from '#models/emergency_contact'
import { DEMO_PHONES } from '#database/seeders/demo_practice_seeder'
import { UNUSUAL_PHONE_HINT } from '#support/phone'
import { browserForm, withChanges } from '#tests/helpers/forms'
import { createClient, createEmergencyContact, createPortalAccount, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { acceptOverHttp, dateParts, invite } from '#tests/helpers/onboarding'

/*
| A phone number on file never blocks a save: every seeded number, and
| numbers imported from another system that are not even possible, go back
| through the real forms (read from the page and sent as a browser sends
| them) unchanged. A possible number that is not known to be in use is
| saved, with a calm hint next to the field.
*/
const SEEDED = [
  DEMO_PHONES.alex,
  DEMO_PHONES.chenHome,
  DEMO_PHONES.chrisRivera,
  ...Array.from({ length: 37 }, (_, index) => DEMO_PHONES.other(index)),
]
/** What earlier demo data and other systems left behind: possible but unused, and not even possible. */
const IMPORTED = ['+15550102233', '+15550111234', '5550102']

const setPhone = (table: string, id: number, phone: string) => db.from(table).where('id', id).update({ phone })

test.group('Phone numbers on file save unchanged', () => {
  test('portal: contact details and each emergency contact, for every seeded and imported number', async ({ assert }) => {
    const client = await createClient()
    const contact = await createEmergencyContact(client)
    const web = await signIn(await createPortalAccount(client))

    for (const phone of [...SEEDED, ...IMPORTED]) {
      await setPhone('clients', client.id, phone)
      const account = await web.get('/portal/account')
      const form = withChanges(browserForm(account.text, '/portal/account/contact'), { city: `City ${phone}` })
      const saved = await web.send(form)
      assert.equal(saved.location, '/portal/account', `contact details with ${phone}`)
      const after = await Client.findOrFail(client.id)
      assert.equal(after.phone, phone)
      assert.equal(after.city, `City ${phone}`)

      await setPhone('emergency_contacts', contact.id, phone)
      const editPage = await web.get(`/portal/account/emergency-contacts/${contact.id}/edit`)
      const contactSaved = await web.send(browserForm(editPage.text, `/portal/account/emergency-contacts/${contact.id}`))
      assert.equal(contactSaved.location, '/portal/account', `emergency contact with ${phone}`)
      assert.equal((await EmergencyContact.findOrFail(contact.id)).phone, phone)
    }
  }).timeout(60_000)

  test('staff: the client record, for every seeded and imported number', async ({ assert }) => {
    const client = await createClient()
    const web = await signIn(await createStaff('support_staff'))

    for (const phone of [...SEEDED, ...IMPORTED]) {
      await setPhone('clients', client.id, phone)
      const editPage = await web.get(`/clients/${client.id}/edit`)
      const saved = await web.send(browserForm(editPage.text, `/clients/${client.id}`))
      assert.equal(saved.location, `/clients/${client.id}`, `client record with ${phone}`)
      assert.equal((await Client.findOrFail(client.id)).phone, phone)
    }
  }).timeout(60_000)

  test('onboarding: the profile step saves the numbers it was prefilled with', async ({ assert }) => {
    const client = await createClient({ phone: IMPORTED[0] })
    await createEmergencyContact(client, { phone: IMPORTED[2], name: 'Imported Contact' })
    const { path } = await invite(client)
    const { web } = await acceptOverHttp(path)
    await web.post('/portal/onboarding/verify', dateParts(client.dateOfBirth!.toISODate()!))

    const profile = await web.get('/portal/onboarding/profile')
    assert.equal(profile.status, 200)
    const done = await web.send(browserForm(profile.text, '/portal/onboarding/profile'))
    assert.equal(done.location, '/portal')
    assert.equal((await Client.findOrFail(client.id)).phone, IMPORTED[0])
    const contacts = await EmergencyContact.query().where('client_id', client.id)
    assert.deepEqual(
      contacts.map((row) => row.phone),
      [IMPORTED[2]]
    )
  }).timeout(60_000)

  test('a new number is taken when it is possible; an unusual one saves with a calm hint, not an error', async ({ assert }) => {
    const client = await createClient({ phone: DEMO_PHONES.alex })
    const web = await signIn(await createPortalAccount(client))
    const contactForm = async () => browserForm((await web.get('/portal/account')).text, '/portal/account/contact')
    // A browser sends the page as Referer; a refused form goes back to it.
    const fromAccount = { referer: new URL('/portal/account', web.baseUrl).href }

    assert.notInclude((await web.get('/portal/account')).text, UNUSUAL_PHONE_HINT)

    // Possible, but not a number in use (555 is no area code): saved, and the form says to check it.
    const unusual = await web.send(withChanges(await contactForm(), { phone: '(555) 010-2299' }))
    assert.equal(unusual.location, '/portal/account')
    assert.equal((await Client.findOrFail(client.id)).phone, '+15550102299')
    const page = await web.get('/portal/account')
    assert.include(page.text, UNUSUAL_PHONE_HINT)
    assert.notInclude(page.text, 'field-error')

    // Not a possible number at all: refused next to the field, nothing changed.
    const refused = await web.send(withChanges(await contactForm(), { phone: '12345' }), fromAccount)
    assert.equal(new URL(refused.location!, web.baseUrl).pathname, '/portal/account')
    const withError = await web.get('/portal/account')
    assert.include(withError.text, 'Please enter a full phone number with its area code')
    assert.equal((await Client.findOrFail(client.id)).phone, '+15550102299')

    // A real number, typed the way people write it, is stored in E.164.
    const typed = await web.send(withChanges(await contactForm(), { phone: '217.555.0123' }))
    assert.equal(typed.location, '/portal/account')
    assert.equal((await Client.findOrFail(client.id)).phone, '+12175550123')
  }).timeout(60_000)
})

test.group('Phone numbers shown', () => {
  test('every phone on a page is a tel: link, in the form people write it', async ({ assert }) => {
    const client = await createClient({ phone: DEMO_PHONES.alex })
    const contact = await createEmergencyContact(client, { phone: DEMO_PHONES.chrisRivera })
    const portal = await signIn(await createPortalAccount(client))
    const staff = await signIn(await createStaff('support_staff'))

    const account = (await portal.get('/portal/account')).text
    assert.include(account, `<a href="tel:${DEMO_PHONES.chrisRivera}" class="phone">(217) 555-0176</a>`)
    // The practice's own number, on every portal page.
    assert.match(account, /<a href="tel:\+?\d+" class="phone">\(555\) 000-0000<\/a>/)

    const record = (await staff.get(`/clients/${client.id}`)).text
    assert.include(record, `<a href="tel:${DEMO_PHONES.alex}" class="phone">(217) 555-0142</a>`)
    assert.include(record, `<a href="tel:${contact.phone}" class="phone">`)
  })
})
