import { IntlMessageFormat } from 'intl-messageformat'
import type { TranslationsFormatterContract } from '@adonisjs/i18n/types'

/** Compiled messages kept; the catalogs hold about a thousand per language. */
const MAX_COMPILED = 4000

/*
| The i18n formatter: ICU messages, as the framework's own formatter
| (formatters.icu()) formats them, but each message compiled once per
| language instead of on every t() call. The framework's builds a new
| IntlMessageFormat for every call, which parses the message and resolves
| the locale each time: 7-10 % of the app's own CPU on a portal page. With
| the framework's formatter instead, a portal page cost 0.47 ms more CPU
| (mean of the three portal pages, medians of three runs; issue #25, README
| "Benchmark").
|
| Only the message and the locale are the key, never the values put into
| it, so nothing a person typed is kept: messages come from the catalogs
| (resources/lang). The cache is bounded all the same, the oldest first out.
*/
export class CompilingIcuFormatter implements TranslationsFormatterContract {
  readonly name = 'icu'
  #compiled = new Map<string, IntlMessageFormat>()

  /** How many compiled messages are kept (at most MAX_COMPILED). */
  get size() {
    return this.#compiled.size
  }

  format(message: string, locale: string, data?: Record<string, any>): string {
    const key = `${locale}\u0000${message}`
    let compiled = this.#compiled.get(key)
    if (!compiled) {
      compiled = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true })
      if (this.#compiled.size >= MAX_COMPILED) this.#compiled.delete(this.#compiled.keys().next().value!)
      this.#compiled.set(key, compiled)
    }
    return compiled.format(data ?? {}) as string
  }
}
