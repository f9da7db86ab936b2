import type { HttpContext } from '@adonisjs/core/http'

/*
| A search for a person typed by staff is health information once it sits
| next to "client": it is posted, kept in the session for a short while, and
| never put in a URL (which would land in access logs, browser history and
| Referer headers). `place` ties a search to one page (e.g. one resource's
| share picker), so it does not show up on another.
*/
const SEARCH_LIFETIME_MS = 15 * 60 * 1000

/** The Clients list's search. */
export const CLIENT_SEARCH_KEY = 'clients_search'
/** A resource's share picker's client search (its place is the resource). */
export const SHARE_SEARCH_KEY = 'share_search'

interface StoredSearch {
  term: string
  storedAt: number
  place?: number
}

type Session = HttpContext['session']

export function rememberSearch(session: Session, key: string, term: string | undefined, place?: number) {
  if (term) session.put(key, { term, storedAt: Date.now(), place } satisfies StoredSearch)
  else session.forget(key)
}

/** The term of the current search, or null when there is none, it expired, or it belongs to another page. */
export function rememberedSearch(session: Session, key: string, place?: number): string | null {
  const stored = session.get(key) as StoredSearch | undefined
  if (!stored || typeof stored.term !== 'string' || typeof stored.storedAt !== 'number') return null
  if (Date.now() - stored.storedAt > SEARCH_LIFETIME_MS) {
    session.forget(key)
    return null
  }
  return stored.place === place ? stored.term : null
}
