import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import ClientUser from '#models/client_user'
import EmergencyContact from '#models/emergency_contact'
import {
  createAppointment,
  createClient,
  createPortalAccount,
  createSharedResource,
  createStaff,
} from '#database/factories/main'
import { signIn } from '#tests/helpers/sign_in'
import { browserForm, withChanges } from '#tests/helpers/forms'
import type { WebSession } from '#tests/helpers/web'

/*
| The signed-in portal in Spanish (#16): an account whose language is 'es'
| reads every page in Spanish, whatever the browser asks for and whoever's
| information it is viewing; changing the language in Account answers at
| once in the new one. The English pages are proven by the other portal tests.
*/

/** Intl puts no-break spaces in "9:00 a.m."; a reader sees spaces. */
const plain = (html: string) => html.replace(/[\u00a0\u202f]/g, ' ').replace(/&nbsp;/g, ' ')

/** Thursday, 10 December 2037, 9:00 in the practice's time zone. */
const THURSDAY_MORNING = DateTime.fromObject({ year: 2037, month: 12, day: 10, hour: 9 }, { zone: practice.timeZone })

async function spanishClient() {
  const provider = await createStaff('clinician', { name: `Dra. Ejemplo ${Date.now()}` })
  const client = await createClient({ firstName: 'Lucía' })
  await EmergencyContact.create({ clientId: client.id, name: 'Marta Ruiz', relationship: 'Hermana', phone: '+12133734253', priority: 1 })
  const account = await createPortalAccount(client, 'self', { language: 'es' })
  const upcoming = await createAppointment(client, provider, { startsAt: THURSDAY_MORNING, location: 'Sala-2' })
  await createAppointment(client, provider, { startsAt: DateTime.now().minus({ days: 7 }), status: 'no_show', location: 'Sala-1' })
  const { resource } = await createSharedResource([client], { title: 'Hoja de respiración' })
  return { provider, client, account, upcoming, resource, web: await signIn(account) }
}

/** An English-speaking browser must not matter once the account's language is known. */
const ENGLISH_BROWSER = { 'accept-language': 'en-US,en;q=0.9' }

async function page(web: WebSession, path: string) {
  const response = await web.get(path, ENGLISH_BROWSER)
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
  return plain(response.text)
}

test.group('Portal in Spanish: a Spanish-speaking account', () => {
  test('home, appointments, resources and account are in Spanish with <html lang="es">', async ({ assert }) => {
    const { web, provider, upcoming, resource } = await spanishClient()

    const home = await page(web, '/portal')
    assert.include(home, '<html lang="es">')
    assert.include(home, '<title>Inicio')
    assert.include(home, 'Próxima cita')
    assert.include(home, 'jueves, 10 de diciembre de 2037')
    assert.include(home, '9:00 a.m.')
    assert.include(home, `con ${provider.name}`)
    assert.include(home, 'Compartido recientemente con usted')
    assert.include(home, `${resource.title}</a> <span class="muted">(Archivo de texto)</span>`)
    assert.include(home, 'Sus datos')
    assert.notInclude(home, 'Next appointment')

    const list = await page(web, '/portal/appointments')
    assert.include(list, '<html lang="es">')
    assert.include(list, '<h1>Citas</h1>')
    assert.include(list, 'Próximas citas')
    assert.include(list, '<strong>jueves, 10 de diciembre de 2037</strong>, 9:00 a.m.')
    assert.include(list, '>Programada</span>')
    assert.include(list, 'Los horarios se muestran en la zona horaria del consultorio.')

    const past = await page(web, '/portal/appointments?tab=past')
    assert.include(past, 'Citas anteriores')
    assert.include(past, '>No asistió</span>')

    const details = await page(web, `/portal/appointments/${upcoming.id}`)
    assert.include(details, '<dt>Fecha</dt>')
    assert.include(details, '<dd>jueves, 10 de diciembre de 2037</dd>')
    assert.match(details, /<dd>De 9:00 a\.m\. \S+ a 9:50 a\.m\. \S+ \(50 minutos\)<\/dd>/)
    assert.include(details, 'Agregar a mi calendario')
    assert.include(details, '¿Necesita cambiar o cancelar la cita?')

    const resources = await page(web, '/portal/resources')
    assert.include(resources, '<html lang="es">')
    assert.include(resources, 'Recursos de su equipo de atención')
    assert.include(resources, 'Otros recursos')
    assert.include(resources, 'Archivo de texto')
    assert.match(resources, /Archivo de texto · \d+ bytes\s+· compartido el /)
    assert.include(resources, '· compartido el ')
    assert.include(resources, '>Descargar<span class="visually-hidden">')

    const account = await page(web, '/portal/account')
    assert.include(account, '<html lang="es">')
    assert.include(account, '<h1>Su cuenta</h1>')
    assert.include(account, 'Correo para iniciar sesión')
    assert.include(account, 'Contactos de emergencia')
    assert.include(account, 'Se llama en primer lugar')
    assert.include(account, '<option value="1">Primero</option>')
    assert.include(account, '<option value="2" selected>Segundo</option>')
    // A new client's default lead time (48 h, ahead of the 24 h cancellation window).
    assert.include(account, '<option value="48" selected>2 días antes</option>')
    assert.include(account, '>1 día antes</option>')
    assert.include(account, '>2 horas antes</option>')
    assert.include(account, 'Qué relación tiene con usted')
    assert.include(account, 'El consultorio puede comunicarse conmigo por correo electrónico.')
    assert.include(account, 'Recordatorios y preferencias')
    // A language's own name stays in its language, marked as such.
    assert.include(account, '<option value="en" lang="en">English</option>')
    for (const english of ['Your account', 'Emergency contacts', 'Save preferences', 'First to call', 'day before']) {
      assert.notInclude(account, english)
    }
  })

  test('the emergency contact pages and the confirmations are in Spanish', async ({ assert }) => {
    const { web, client } = await spanishClient()
    const [contact] = await EmergencyContact.query().where('clientId', client.id)

    const edit = await page(web, `/portal/account/emergency-contacts/${contact.id}/edit`)
    assert.include(edit, '<title>Editar contacto de emergencia')
    assert.include(edit, 'Guardar contacto')

    const remove = await page(web, `/portal/account/emergency-contacts/${contact.id}/delete`)
    assert.include(remove, 'no se puede eliminar a Marta Ruiz')

    const account = await web.get('/portal/account')
    const added = await web.send(
      withChanges(browserForm(account.text, '/portal/account/emergency-contacts'), {
        name: 'Pablo Ruiz',
        relationship: 'Hermano',
        phone: '(213) 373-4254',
      }),
      { referer: new URL('/portal/account', web.baseUrl).href }
    )
    assert.equal(added.status, 302)
    assert.include((await web.follow(added)).text, 'Pablo Ruiz se agregó como contacto de emergencia.')
  })
})

test.group('Portal in Spanish: a guardian', () => {
  test('a guardian whose account is Spanish sees an English-speaking child in Spanish', async ({ assert }) => {
    const provider = await createStaff('clinician')
    const child = await createClient({ firstName: 'Tomás', emailLanguage: 'en' })
    await createAppointment(child, provider, { startsAt: THURSDAY_MORNING })
    const guardian = await createPortalAccount(child, 'legal_guardian', { language: 'es' })
    const web = await signIn(guardian)

    const home = await page(web, '/portal')
    assert.include(home, '<html lang="es">')
    assert.include(home, 'Está viendo la información de Tomás.')
    assert.include(home, 'Compartido recientemente con Tomás')
    assert.include(home, 'Datos de Tomás')
    assert.include(home, 'jueves, 10 de diciembre de 2037')

    const account = await page(web, '/portal/account')
    assert.include(account, 'Datos de contacto de Tomás')
    assert.include(account, 'El consultorio puede comunicarse con Tomás por correo electrónico.')
    assert.include(account, 'Qué relación tiene con Tomás')
  })
})

test.group('Portal in Spanish: choosing the language in Account', () => {
  test('changing the language to Spanish makes the confirmation and the next page Spanish', async ({ assert }) => {
    const client = await createClient()
    const account = await createPortalAccount(client)
    const web = await signIn(account)

    const before = await web.get('/portal/account')
    assert.include(before.text, '<html lang="en">')
    const saved = await web.send(
      withChanges(browserForm(before.text, '/portal/account/preferences'), { language: 'es' }),
      { referer: new URL('/portal/account', web.baseUrl).href }
    )
    assert.equal(saved.location, '/portal/account')
    assert.equal((await ClientUser.findOrFail(account.id)).language, 'es')

    const next = await web.follow(saved)
    assert.include(next.text, '<html lang="es">')
    assert.include(next.text, 'Sus preferencias se guardaron.')
    assert.include(next.text, '<h1>Su cuenta</h1>')
    assert.include(next.text, '<option value="es" lang="es" selected>Español</option>')
    assert.notInclude(next.text, 'Your preferences are saved.')

    // And back: the confirmation is in English again.
    const back = await web.send(
      withChanges(browserForm(next.text, '/portal/account/preferences'), { language: 'en' }),
      { referer: new URL('/portal/account', web.baseUrl).href }
    )
    const english = await web.follow(back)
    assert.include(english.text, '<html lang="en">')
    assert.include(english.text, 'Your preferences are saved.')
  })
})
