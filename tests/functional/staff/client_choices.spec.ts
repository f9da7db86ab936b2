import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { DomUtils, parseDocument } from 'htmlparser2'
import { createClient, createStaff } from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'

/*
| Two clients with the same name must never look the same in a staff choice:
| a wrong pick books, invites or shares someone else's records.
*/
function optionTexts(html: string, selectName: string) {
  const document = parseDocument(html)
  const select = DomUtils.findOne((element) => element.name === 'select' && element.attribs.name === selectName, document.children)
  if (!select) throw new Error(`No <select name="${selectName}"> on the page`)
  return DomUtils.findAll((element) => element.name === 'option', select.children).map((option) => DomUtils.textContent(option))
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
    const options = optionTexts((await web.get('/portal-settings')).text, 'clientId').filter((text) => text.includes(lastName))
    assert.deepEqual(options, [
      `${lastName}, Avery · born Feb 3, 1991 · a•••@${lastName.toLowerCase()}.test`,
      `${lastName}, Avery · born Nov 20, 2004 · b•••@${lastName.toLowerCase()}.test`,
    ])
    assert.notEqual(first.choiceLabel, second.choiceLabel)
  })

  test('the booking form does the same', async ({ assert }) => {
    const { lastName } = await lookAlikes()
    const web = await signIn(await createStaff('support_staff'))
    const options = optionTexts((await web.get('/appointments/new')).text, 'clientId').filter((text) => text.includes(lastName))
    assert.lengthOf(options, 2)
    assert.notEqual(options[0], options[1])
    assert.include(options[0], 'born Feb 3, 1991 · a•••@')
    assert.notInclude(options.join(' '), 'avery.one@')
  })
})
