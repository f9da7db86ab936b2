import type { HttpContext } from '@adonisjs/core/http'
import PracticeSetting from '#models/practice_setting'

/*
| The help page behind the footer's "Leaving quickly and staying safe": what
| "Leave this site" does and, honestly, what it does not. Public, like the
| sign-in page: someone may want to read it before they ever sign in.
*/
export default class SafetyController {
  async show({ view }: HttpContext) {
    const settings = await PracticeSetting.current()
    return view.render('pages/portal/safety', { exitSite: siteName(settings.quickExitUrl) })
  }
}

/** "weather.com" for https://www.weather.com/: the address people recognise. */
function siteName(url: string) {
  try {
    return new URL(url).hostname.replace(/^www\./, '')
  } catch {
    return url
  }
}
