import type { HttpContext } from '@adonisjs/core/http'
import { isPortalLocale } from '#support/locales'
import { rememberVisitorLocale } from '#services/request_locale'
import { isPortalPath } from '#services/surfaces'

/*
| "English | Español" on the public portal pages: remembers the choice in a
| cookie that holds only the language, and goes back to the page it came
| from (a portal path of this site, never another site).
*/
export default class LanguagesController {
  async update(ctx: HttpContext) {
    const { params, request, response } = ctx
    if (!isPortalLocale(params.locale)) return response.notFound()
    rememberVisitorLocale(ctx, params.locale)
    const back = String(request.qs().back ?? '')
    return response.redirect(isPortalPath(back) && !back.startsWith('//') ? back : '/portal/login')
  }
}
