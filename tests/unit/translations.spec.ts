import { test } from '@japa/runner'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser'
import { PORTAL_LOCALES } from '#support/locales'
import { ROOT, filesUnder } from '#tests/helpers/imports'

/*
| The catalogs (resources/lang/<locale>/<file>.json, a key is
| "<file>.<nested.path>") agree with each other and with the code: the same
| keys in every language, the same ICU arguments in each message, and every
| key the code and the templates use exists.
*/
function flatten(value: unknown, prefix: string, into: Record<string, string>) {
  if (typeof value === 'string') into[prefix] = value
  else for (const [key, inner] of Object.entries(value as object)) flatten(inner, `${prefix}.${key}`, into)
  return into
}

function catalog(locale: string) {
  const dir = join(ROOT, 'resources/lang', locale)
  const messages: Record<string, string> = {}
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    flatten(JSON.parse(readFileSync(join(dir, file), 'utf8')), file.replace(/\.json$/, ''), messages)
  }
  return messages
}

/** The ICU arguments a message uses (`{name}`, `{count, plural, …}`), read by the parser the formatter uses. */
function argumentsOf(message: string) {
  const names = new Set<string>()
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type !== TYPE.literal && element.type !== TYPE.pound && 'value' in element && typeof element.value === 'string') {
        names.add(element.value)
      }
      if ('options' in element) for (const option of Object.values(element.options)) walk(option.value)
      if ('children' in element) walk(element.children)
    }
  }
  walk(parse(message, { ignoreTag: true }))
  return [...names].sort()
}

/** Keys named in code and templates: t('a.b'), i18n.t('a.b'), and t(`a.${x}`) as a pattern. */
function keysUsed() {
  const sources = [...filesUnder('app'), ...filesUnder('start'), ...templates()].map((file) => ({
    file,
    text: readFileSync(join(ROOT, file), 'utf8'),
  }))
  const used: { file: string; key: string; pattern: RegExp }[] = []
  for (const { file, text } of sources) {
    for (const [, , key] of text.matchAll(/\bt\(\s*(['`])([a-z0-9_]+\.[a-zA-Z0-9_.${}]+?)\1/g)) {
      const pattern = new RegExp(`^${key.replace(/\./g, '\\.').replace(/\$\{[^}]+\}/g, '[^.]+')}$`)
      used.push({ file, key, pattern })
    }
  }
  return used
}

function templates() {
  return readdirSync(join(ROOT, 'resources/views'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.edge'))
    .map((name) => join('resources/views', name))
}

/** Keys written twice in one object of a catalog file (JSON.parse would silently keep the last). */
function duplicateKeys(file: string) {
  const duplicates: string[] = []
  const stack: Set<string>[] = []
  for (const [index, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    const key = line.match(/^\s*"([^"]+)"\s*:/)?.[1]
    if (key !== undefined) {
      if (stack.at(-1)?.has(key)) duplicates.push(`${file}:${index + 1} ${key}`)
      stack.at(-1)?.add(key)
    }
    for (const char of line.replace(/"(?:[^"\\]|\\.)*"/g, '')) {
      if (char === '{') stack.push(new Set())
      if (char === '}') stack.pop()
    }
  }
  return duplicates
}

test.group('Translations', () => {
  test('no catalog writes a key twice', ({ assert }) => {
    const files = readdirSync(join(ROOT, 'resources/lang'), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.json'))
      .map((name) => join(ROOT, 'resources/lang', name))
    assert.isAbove(files.length, 4)
    assert.deepEqual(files.flatMap(duplicateKeys), [])
    assert.deepEqual(duplicateKeys(join(ROOT, 'package.json')), [])
  })

  test('every language has exactly the keys English has, with the same arguments', ({ assert }) => {
    const english = catalog('en')
    assert.isAbove(Object.keys(english).length, 10)
    for (const locale of PORTAL_LOCALES.filter((code) => code !== 'en')) {
      const other = catalog(locale)
      assert.sameMembers(Object.keys(other), Object.keys(english), `${locale} has other keys than en`)
      const differing = Object.keys(english).filter(
        (key) => JSON.stringify(argumentsOf(english[key])) !== JSON.stringify(argumentsOf(other[key] ?? ''))
      )
      assert.deepEqual(differing, [], `${locale} messages whose arguments differ from English`)
    }
  })

  test('every key the code and the templates use exists', ({ assert }) => {
    const keys = Object.keys(catalog('en'))
    const used = keysUsed()
    assert.isAbove(used.length, 10)
    const missing = used.filter(({ pattern }) => !keys.some((key) => pattern.test(key))).map(({ file, key }) => `${file}: ${key}`)
    assert.deepEqual(missing, [])
  })
})
