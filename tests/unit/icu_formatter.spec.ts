import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { formatters } from '@adonisjs/i18n'
import i18nManager from '@adonisjs/i18n/services/main'
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser'
import { CompilingIcuFormatter } from '#services/icu_formatter'
import { PORTAL_LOCALES } from '#support/locales'

/** Values for every argument a message uses: the plural/select branches and the plain ones. */
function valuesFor(message: string, variant: number) {
  const values: Record<string, unknown> = {}
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.argument || element.type === TYPE.tag) values[element.value] = `value${variant}`
      if (element.type === TYPE.number || element.type === TYPE.plural) values[element.value] = variant === 1 ? 1 : 7
      if (element.type === TYPE.date || element.type === TYPE.time) values[element.value] = new Date(Date.UTC(2026, variant, 3, 15, 30))
      if (element.type === TYPE.select) values[element.value] = Object.keys(element.options)[variant % Object.keys(element.options).length]
      if ('options' in element) for (const option of Object.values(element.options)) walk(option.value)
      if ('children' in element) walk(element.children)
    }
  }
  walk(parse(message, { ignoreTag: true }))
  return values
}

test.group('ICU formatter (messages compiled once)', () => {
  test('every catalog message formats exactly as the framework formatter does, value after value', async ({ assert }) => {
    const factory = await formatters.icu().resolver(app)
    const framework = factory(i18nManager.config)
    const compiling = new CompilingIcuFormatter()
    await i18nManager.loadTranslations()
    let checked = 0
    for (const locale of PORTAL_LOCALES) {
      for (const [key, message] of Object.entries(i18nManager.getTranslationsFor(locale))) {
        // Twice each, with different values: a compiled message keeps nothing of the last call's values.
        for (const variant of [1, 2, 1]) {
          const values = valuesFor(message, variant)
          assert.equal(compiling.format(message, locale, values), framework.format(message, locale, values), `${locale} ${key}`)
          checked++
        }
      }
    }
    assert.isAbove(checked, 1000)
  })

  test('the compiled messages are bounded', ({ assert }) => {
    const compiling = new CompilingIcuFormatter()
    for (let i = 0; i < 4100; i++) compiling.format(`message number ${i} for {name}`, 'en', { name: 'x' })
    assert.equal(compiling.size, 4000)
    assert.equal(compiling.format('message number 4099 for {name}', 'en', { name: 'y' }), 'message number 4099 for y')
    assert.equal(compiling.format('message number 0 for {name}', 'en', { name: 'z' }), 'message number 0 for z')
  })
})
