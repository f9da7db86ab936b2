import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { DomUtils, parseDocument } from 'htmlparser2'
import { createClient, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { pickerSearch } from '#tests/functional/staff/appointments/helpers'

/*
| Two clients with the same name must never look the same in a staff choice:
| a wrong pick books, invites or shares someone else's records.
*/
/** The labels of a client picker's choices, in order (components/staff/client_picker). */
function optionTexts(html: string, fieldName: string) {
  const document = parseDocument(html)
  const radios = DomUtils.findAll((element) => element.name === 'input' && element.attribs.type === 'radio' && element.attribs.name === fieldName, document.children)
  return radios.map((radio) => {
    const label = DomUtils.findOne((element) => element.name === 'label' && element.attribs.for === radio.attribs.id, document.children)
    return label ? DomUtils.textContent(label) : ''
  })
}

async function lookAlikes() {
  // "Aaa…" sorts first, so the pair is inside every list however many clients the suite made.
  const lastName = `Aaalike${Math.random().toString(36).slice(2, 7)}`
  const first = await createClient({ lastName, firstName: 'Avery', dateOfBirth: DateTime.fromISO('1991-02-03'), email: `avery.one@${lastName.toLowerCase()}.test` })
  const second = await createClient({ lastName, firstName: 'Avery', dateOfBirth: DateTime.fromISO('2004-11-20'), email: `blue.two@${lastName.toLowerCase()}.test` })
  return { lastName, first, second }
}

test.group('Staff: client choices tell look-alikes apart', () => {
  test('the invite form shows each client with date of birth and a masked email', async ({ assert }) => {
    const { lastName, first, second } = await lookAlikes()
    const web = await signIn(await createStaff('admin'))
    await web.get('/portal-settings')
    const { page } = await pickerSearch(web, 'invite', '/portal-settings', lastName)
    const options = optionTexts(page.text, 'clientId').filter((text) => text.includes(lastName))
    assert.deepEqual(options, [
      `${lastName}, Avery · born Feb 3, 1991 · a•••@${lastName.toLowerCase()}.test`,
      `${lastName}, Avery · born Nov 20, 2004 · b•••@${lastName.toLowerCase()}.test`,
    ])
    assert.notEqual(first.choiceLabel, second.choiceLabel)
  })

  test('the booking form does the same', async ({ assert }) => {
    const { lastName } = await lookAlikes()
    const web = await signIn(await createStaff('support_staff'))
    await web.get('/appointments/new')
    const { page } = await pickerSearch(web, 'booking', '/appointments/new', lastName)
    const options = optionTexts(page.text, 'clientId').filter((text) => text.includes(lastName))
    assert.lengthOf(options, 2)
    assert.notEqual(options[0], options[1])
    assert.include(options[0], 'born Feb 3, 1991 · a•••@')
    assert.notInclude(options.join(' '), 'avery.one@')
  })
})
