import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import i18nManager from '@adonisjs/i18n/services/main'
import ClientUser from '#models/client_user'
import { createClient, createPortalAccount } from '#database/factories/main'
import { COMMON_PASSWORD_MESSAGE, PASSWORD_RULE_TEXT } from '#validators/password'
import { CALM_MESSAGES } from '#validators/calm_messages'
import { UNUSUAL_PHONE_HINT } from '#support/phone'
import { signInFailedMessage, signInPausedMessage } from '#services/sign_in'
import { LANGUAGE_COOKIE } from '#services/request_locale'
import { acceptOverHttp, dateParts, invite, profileForm } from '#tests/helpers/onboarding'
import { WebSession } from '#tests/helpers/web'

/*
| The public portal pages and the portal's form errors in Spanish (#16):
| a visitor's Accept-Language or the language switch's cookie before
| sign-in, the account's own language once signed in. The staff side stays
| English.
*/
const SPANISH = { 'accept-language': 'es-US,es;q=0.9' }
const ENGLISH = { 'accept-language': 'en-US,en;q=0.9' }

const decode = (html: string) => html.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&')

test.group('Public portal pages in Spanish', () => {
  test('Accept-Language: es gives the sign-in page in Spanish, with <html lang="es">', async ({ assert }) => {
    const page = await new WebSession().get('/portal/login', SPANISH)
    assert.equal(page.status, 200)
    assert.match(page.text, /<html lang="es">/)
    assert.include(page.text, '<title>Iniciar sesión')
    assert.include(page.text, 'Inicie sesión en su portal')
    assert.include(page.text, '¿Olvidó su contraseña?')
    assert.notInclude(page.text, 'Sign in to your portal')
    // The switch offers English, marked as English.
    assert.match(page.text, /<a href="\/portal\/language\/en\?back=[^"]+" lang="en" hreflang="en">English<\/a>/)

    const english = await new WebSession().get('/portal/login', ENGLISH)
    assert.match(english.text, /<html lang="en">/)
    assert.include(english.text, 'Sign in to your portal')
  })

  test('the language switch remembers Spanish in a cookie that beats Accept-Language, and goes back only to this site', async ({ assert }) => {
    const web = new WebSession()
    web.headers = ENGLISH
    const switched = await web.get('/portal/language/es?back=%2Fportal%2Fforgot-password')
    assert.equal(switched.status, 302)
    assert.equal(switched.location, '/portal/forgot-password')
    assert.equal(web.cookies.get(LANGUAGE_COOKIE), 'es')

    const page = await web.follow(switched)
    assert.match(page.text, /<html lang="es">/)
    assert.include(page.text, 'Enviarme un enlace')
    // Still Spanish on the next page, whatever the browser says.
    assert.include((await web.get('/portal/login')).text, 'Inicie sesión en su portal')

    // And back to English the same way.
    await web.get('/portal/language/en?back=%2Fportal%2Flogin', SPANISH)
    assert.include((await web.get('/portal/login', SPANISH)).text, 'Sign in to your portal')

    for (const back of ['https://evil.example/portal/login', '//evil.example/portal', '/dashboard', 'javascript:alert(1)']) {
      const away = await new WebSession().get(`/portal/language/es?back=${encodeURIComponent(back)}`)
      assert.equal(away.location, '/portal/login', back)
    }
    assert.equal((await new WebSession().get('/portal/language/fr')).status, 404)
  })

  test('a wrong password, and a form error next to its field, in Spanish', async ({ assert }) => {
    const account = await createPortalAccount(await createClient(), 'self')
    const web = new WebSession()
    web.headers = SPANISH

    await web.get('/portal/login')
    const wrong = await web.post('/portal/login', { email: account.email, password: 'not-the-password-at-all' })
    const page = decode((await web.follow(wrong)).text)
    assert.include(page, i18nManager.locale('es').t('public.sign_in.failed'))
    assert.include(page, 'Ese correo electrónico y esa contraseña no coinciden')
    assert.notInclude(page, signInFailedMessage)

    // A validation error goes back to the page the browser names (Referer), as a browser's would.
    const empty = await web.post('/portal/login', { email: '', password: '' }, { referer: `${web.baseUrl}/portal/login` })
    assert.equal(empty.location, `${web.baseUrl}/portal/login`)
    const emptyPage = decode((await web.follow(empty)).text)
    assert.include(emptyPage, '<p class="field-error" id="field-email-error">Escriba su correo electrónico.</p>')
    assert.include(emptyPage, '<p class="field-error" id="field-password-error">Escriba su contraseña.</p>')
    assert.include(emptyPage, 'Revise estos datos')

    await web.get('/portal/forgot-password')
    const typo = await web.post('/portal/forgot-password', { email: 'not-an-email' })
    assert.include(
      decode((await web.follow(typo)).text),
      '<p class="field-error" id="field-email-error">Escriba un correo electrónico como nombre@ejemplo.com.</p>'
    )
  })

  test('onboarding (password, date of birth, profile) in Spanish for an account whose language is Spanish', async ({ assert }) => {
    const client = await createClient({ firstName: 'Lucía', dateOfBirth: DateTime.fromISO('1990-04-12') })
    const invited = await invite(client)

    // The invitation page before sign-in: the browser's language. A common password is refused in Spanish.
    const web = new WebSession()
    web.headers = SPANISH
    const welcome = decode((await web.get(invited.path)).text)
    assert.include(welcome, 'Le damos la bienvenida al portal del cliente de')
    assert.include(welcome, i18nManager.locale('es').t('validator.hints.password_rule'))
    const common = await web.post(invited.path, { password: 'password1234', password_confirmation: 'password1234' })
    assert.include(
      decode((await web.follow(common)).text),
      '<p class="field-error" id="field-password-error">Esta contraseña es demasiado fácil de adivinar.'
    )

    // Once signed in, the account's own language, even with an English browser.
    await acceptOverHttp(invited.path, undefined, web)
    await ClientUser.query().where('email', invited.email).update({ language: 'es' })
    web.headers = ENGLISH

    const verify = await web.get('/portal/onboarding/verify')
    assert.match(verify.text, /<html lang="es">/)
    assert.include(verify.text, 'Confirme su fecha de nacimiento')
    assert.include(verify.text, 'Por ejemplo: 4 12 2014 (mes, día, año).')
    const badly = await web.post('/portal/onboarding/verify', { month: '13', day: '40', year: '90' })
    assert.include(
      (await web.follow(badly)).text,
      '<p class="field-error" id="dob-error">Escriba la fecha de nacimiento con números: mes, día y el año de cuatro cifras, por ejemplo 4, 12, 2014.</p>'
    )
    await web.post('/portal/onboarding/verify', dateParts('1990-04-12'))

    const profile = await web.get('/portal/onboarding/profile')
    assert.match(profile.text, /<html lang="es">/)
    assert.include(profile.text, 'Revise sus datos')
    assert.include(profile.text, 'Contacto de emergencia')
    assert.include(profile.text, '>1 día antes</option>')
    assert.include(profile.text, '>2 horas antes</option>')
    assert.include(profile.text, '<option value="es" lang="es" selected>Español</option>')

    const problems = await web.post('/portal/onboarding/profile', profileForm({ phone: '12', contactName: '', language: 'es' }))
    const again = decode((await web.follow(problems)).text)
    assert.include(again, 'id="field-phone-error">Escriba un número de teléfono completo con el código de área, como (213) 555-0142.</p>')
    assert.include(again, 'id="field-contactName-error">Escriba el nombre de alguien a quien el consultorio pueda llamar en una emergencia.</p>')

    const done = await web.post('/portal/onboarding/profile', profileForm({ language: 'es' }))
    assert.equal(done.location, '/portal')
    assert.include((await web.follow(done)).text, 'Gracias. Su portal está listo.')
  }).timeout(30_000)

  test('the error pages under /portal in Spanish; the staff side stays English', async ({ assert }) => {
    const missing = await new WebSession().get('/portal/no-such-page', SPANISH)
    assert.equal(missing.status, 404)
    assert.match(missing.text, /<html lang="es">/)
    assert.include(missing.text, '<title>No pudimos encontrar esa página')
    assert.include(missing.text, 'Ir a la página de inicio de su portal')
    assert.notInclude(missing.text, 'We could not find that page')

    const fragment = await new WebSession().get('/portal/no-such-page', { ...SPANISH, 'hx-request': 'true' })
    assert.include(fragment.text, '<strong>No pudimos encontrar esa página.</strong>')

    const dead = await new WebSession().get('/portal/reset-password/not-a-real-token', SPANISH)
    assert.equal(dead.status, 404)
    assert.include(dead.text, 'Este enlace ya no funciona')
    // The same page for every link: its language switch goes on to the sign-in page, not back to the link.
    assert.include(dead.text, 'href="/portal/language/en?back=%2Fportal%2Flogin"')

    const staff = await new WebSession().get('/no-such-page', SPANISH)
    assert.equal(staff.status, 404)
    assert.match(staff.text, /<html lang="en">/)
    assert.include(staff.text, 'We could not find that page')
    assert.include((await new WebSession().get('/login', SPANISH)).text, 'Sign in')
  })

  test('the English catalog says what the English code and the staff forms say', ({ assert }) => {
    const en = i18nManager.locale('en')
    assert.equal(en.t('validator.hints.password_rule'), PASSWORD_RULE_TEXT)
    assert.equal(en.t('validator.portal.messages.hardToGuess'), COMMON_PASSWORD_MESSAGE)
    assert.equal(en.t('validator.hints.phone_unusual'), UNUSUAL_PHONE_HINT)
    assert.equal(en.t('public.sign_in.failed'), signInFailedMessage)
    assert.equal(en.t('public.sign_in.paused'), signInPausedMessage)
    for (const [rule, message] of Object.entries(CALM_MESSAGES)) {
      const args = { min: 12, max: 254 }
      assert.equal(en.t(`validator.portal.messages.${rule}`, args), message.replace('{{ min }}', '12').replace('{{ max }}', '254'), rule)
    }
    assert.equal(en.t('public.sign_in.idle_signed_out', { minutes: 15 }), 'For your privacy you were signed out after 15 minutes without activity. Please sign in again.')
  })
})

test.group('The language after sign-out', () => {
  test("a Spanish-speaking person signed in from an English browser gets the sign-in page back in Spanish", async ({ assert }) => {
    const account = await createPortalAccount(await createClient(), 'self', { language: 'es' })
    const web = new WebSession()
    web.headers = { 'accept-language': 'en-US' }
    assert.include((await web.get('/portal/login')).text, '<html lang="en">')
    const signedIn = await web.post('/portal/login', { email: account.email, password: 'a-long-test-password-42' })
    assert.equal(signedIn.location, '/portal')
    assert.include((await web.get('/portal')).text, '<html lang="es">')

    await web.post('/portal/logout', {})
    const after = await web.get('/portal/login')
    assert.include(after.text, '<html lang="es">')
    assert.equal(web.cookies.get(LANGUAGE_COOKIE), 'es')
  })
})
