import type { HttpContext } from '@adonisjs/core/http'
import { clientSearchValidator } from '#validators/client'
import { CLIENT_SEARCH_KEY, rememberSearch } from '#services/remembered_searches'

/*
| The Clients list's search: posted and kept in the session, never in a URL
| (services/remembered_searches.ts).
*/
export default class ClientSearchesController {
  async store({ request, response, session, bouncer }: HttpContext) {
    await bouncer.with('ClientPolicy').authorize('viewAny')
    const { term, status, clinician, sort, dir } = await request.validateUsing(clientSearchValidator)
    rememberSearch(session, CLIENT_SEARCH_KEY, term)

    // Only the filters and the order travel in the URL: they say nothing about who was looked for.
    const qs = Object.fromEntries(Object.entries({ status, clinician, sort, dir }).filter(([, value]) => value))
    return response.redirect().toRoute('staff.clients.index', undefined, { qs })
  }

  async destroy({ response, session, bouncer }: HttpContext) {
    await bouncer.with('ClientPolicy').authorize('viewAny')
    session.forget(CLIENT_SEARCH_KEY)
    return response.redirect().toRoute('staff.clients.index')
  }
}
