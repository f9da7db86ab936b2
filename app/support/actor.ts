/*
| Who does something, as plain data: use cases (app/actions) take it instead
| of a request, so the web, ace commands and the worker call them alike.
| A controller builds it once from its request (`actorOf` in
| app/services/request_actor.ts); commands and the worker pass SYSTEM_ACTOR.
*/
export interface Actor {
  /** `anonymous`: a visitor nobody is signed in as (e.g. asking for a reset link). */
  kind: 'staff' | 'client_user' | 'anonymous' | 'system'
  /** The signed-in account's id; null for anonymous and system. */
  id: number | null
  ip: string | null
  userAgent: string | null
}

/** An operator's ace command or the worker: no account, no request. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ kind: 'system', id: null, ip: null, userAgent: null })
