/*
| The languages of the portal and of everything it sends (DESIGN §16). To add
| a third: copy resources/lang/en to resources/lang/<code>, translate it, and
| add its code here with its name in its own language (a migration widens
| the database CHECKs that list these codes).
*/
export const PORTAL_LOCALES = ['en', 'es'] as const
export type PortalLocale = (typeof PORTAL_LOCALES)[number]

/** Each language named in itself, as a language switch shows it. */
export const LOCALE_NAMES: Record<PortalLocale, string> = {
  en: 'English',
  es: 'Español',
}

/** The Intl locale for dates and numbers: US conventions in both languages ("9:00 a.m."). */
export const INTL_LOCALES: Record<PortalLocale, string> = {
  en: 'en-US',
  es: 'es-US',
}

export function isPortalLocale(value: unknown): value is PortalLocale {
  return PORTAL_LOCALES.includes(value as PortalLocale)
}

/** The language choices of a form: each in its own language, marked with its `lang`. */
export function localeOptions() {
  return PORTAL_LOCALES.map((value) => ({ value, label: LOCALE_NAMES[value], lang: value }))
}
