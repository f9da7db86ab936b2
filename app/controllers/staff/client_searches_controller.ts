import type { HttpContext } from '@adonisjs/core/http'
import { clientSearchValidator } from '#validators/client'

/*
| The Clients list's search. A name or an email typed here is health
| information once it sits next to "client": it is posted, kept in the
| session for a short while, and never put in a URL (which would land in
| access logs, browser history and Referer headers).
*/
export const CLIENT_SEARCH_KEY = 'clients_search'
const SEARCH_LIFETIME_MS = 15 * 60 * 1000

interface StoredSearch {
  term: string
  storedAt: number
}

/** The term of the current search, or null when there is none or it has expired. */
export function rememberedSearch(session: HttpContext['session']): string | null {
  const stored = session.get(CLIENT_SEARCH_KEY) as StoredSearch | undefined
  if (!stored || typeof stored.term !== 'string' || typeof stored.storedAt !== 'number') return null
  if (Date.now() - stored.storedAt > SEARCH_LIFETIME_MS) {
    session.forget(CLIENT_SEARCH_KEY)
    return null
  }
  return stored.term
}

export default class ClientSearchesController {
  async store({ request, response, session, bouncer }: HttpContext) {
    await bouncer.with('ClientPolicy').authorize('viewAny')
    const { term, status, clinician } = await request.validateUsing(clientSearchValidator)

    if (term) session.put(CLIENT_SEARCH_KEY, { term, storedAt: Date.now() } satisfies StoredSearch)
    else session.forget(CLIENT_SEARCH_KEY)

    // Only the filters travel in the URL: they say nothing about who was looked for.
    const qs = Object.fromEntries(Object.entries({ status, clinician }).filter(([, value]) => value))
    return response.redirect().toRoute('staff.clients.index', undefined, { qs })
  }

  async destroy({ response, session, bouncer }: HttpContext) {
    await bouncer.with('ClientPolicy').authorize('viewAny')
    session.forget(CLIENT_SEARCH_KEY)
    return response.redirect().toRoute('staff.clients.index')
  }
}
