import { MessageBuilder } from '@adonisjs/core/helpers'
import string from '@adonisjs/core/helpers/string'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { SessionData, SessionStoreContract } from '@adonisjs/session/types'
import { fixedStatement } from '#services/prepared_statements'

/** How stale a session row's expiry may get before an unchanged request refreshes it. */
const EXPIRY_REFRESH_SECONDS = 60
/** The store's table. */
const TABLE = 'sessions'
/** Every request with a session cookie runs it: prepared on each connection (services/prepared_statements.ts). */
const readSession = fixedStatement('session_read', `select data, expires_at from ${TABLE} where id = ? limit 1`)
/** Percent of writes that also delete expired rows, as the framework's store does. */
const GARBAGE_COLLECTION_PERCENT = 2

/*
| Sessions in PostgreSQL (table `sessions`), like the framework's database
| store, with one difference that saves a statement on most requests: a
| request that changed nothing in the session refreshes the row's expiry only
| when the last refresh is more than a minute old, not every time. The 12-hour
| absolute age thus moves in steps of a minute; the 15-minute idle rule is
| kept in the session data itself (SignedInMiddleware), not in this expiry.
|
| Each row names the account signed in with it (`user_id`: "client_users:12"
| or "staff:3"), so an account's open sessions can be listed and ended
| (/portal/account/activity).
|
| One instance per request (the session middleware builds it per request), so
| the expiry read here is this request's own, never shared.
|
| Kept by measurement (issue #25, README "Benchmark"): with the framework's
| `stores.database()` instead, a portal page cost 0.35 ms more CPU (app +
| PostgreSQL, mean of the three portal pages, medians of three runs; 0.21 ms
| of it PostgreSQL's), the expiry UPDATE and its commit on every request.
*/
export class DatabaseSessionStore implements SessionStoreContract {
  #expiresAt: number | null = null
  #ttlSeconds: number

  constructor(
    private client: QueryClientContract,
    age: string | number
  ) {
    this.#ttlSeconds = string.seconds.parse(age)
  }

  async read(sessionId: string): Promise<SessionData | null> {
    const [row] = (await readSession(this.client, [sessionId])).rows
    if (!row) return null

    const expiresAt = new Date(row.expires_at).getTime()
    if (Date.now() > expiresAt) {
      await this.destroy(sessionId)
      return null
    }
    this.#expiresAt = expiresAt
    try {
      return new MessageBuilder().verify<SessionData>(row.data, sessionId)
    } catch {
      return null
    }
  }

  async write(sessionId: string, values: SessionData) {
    const expiresAt = this.#nextExpiry()
    await this.client
      .insertQuery()
      .table(TABLE)
      .insert({
        id: sessionId,
        data: new MessageBuilder().build(values, undefined, sessionId),
        expires_at: expiresAt,
        user_id: sessionOwner(values),
      })
      .knexQuery.onConflict('id')
      .merge(['data', 'expires_at', 'user_id'])
    this.#expiresAt = expiresAt.getTime()

    if (Math.random() * 100 < GARBAGE_COLLECTION_PERCENT) {
      await this.client.from(TABLE).where('expires_at', '<=', new Date()).delete()
    }
  }

  async destroy(sessionId: string) {
    await this.client.from(TABLE).where('id', sessionId).delete()
    this.#expiresAt = null
  }

  async touch(sessionId: string) {
    const sinceRefresh = this.#expiresAt === null ? Infinity : this.#nextExpiry().getTime() - this.#expiresAt
    if (sinceRefresh < EXPIRY_REFRESH_SECONDS * 1000) return

    const expiresAt = this.#nextExpiry()
    await this.client.from(TABLE).where('id', sessionId).update({ expires_at: expiresAt })
    this.#expiresAt = expiresAt.getTime()
  }

  #nextExpiry() {
    return new Date(Date.now() + this.#ttlSeconds * 1000)
  }
}

/** Who is signed in with these session values, as the `user_id` column keeps it; null: nobody. */
export function sessionOwner(values: SessionData): string | null {
  for (const guard of ['client_users', 'staff']) {
    const id = values[`auth_${guard}`]
    if (id !== undefined && id !== null) return `${guard}:${id}`
  }
  return null
}
