import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import type { AccessLevel } from '#models/client_user_link'
import { asPrepared } from '#services/prepared_statements'

const SWITCH_TO_CLIENT = `select set_config('role', ?, true), set_config('app.client_id', ?, true),
  set_config('app.link_level', ?, true), pg_backend_pid() as pid`

/*
| Opens the transaction a protected portal request runs in: switched to the
| portal's NOLOGIN role, with the active client's id and the level of the
| link acting for them (DESIGN §14: the policies of resources and of contact
| writes check it), all transaction-local (set_config(…, true)), so they end
| with the transaction and a pooled connection never keeps another client's
| identity. One statement, one round trip.
*/
export async function beginClientTransaction(
  clientId: number,
  level: AccessLevel,
  connection: QueryClientContract = db.connection()
) {
  const trx = await connection.transaction()
  try {
    // Every portal page runs it: prepared on each pooled connection (services/prepared_statements.ts).
    const result = await asPrepared(
      trx.rawQuery(SWITCH_TO_CLIENT, [env.get('PORTAL_DB_ROLE') ?? 'portal_client', String(clientId), level]),
      'portal_switch_to_client'
    )
    // Only when someone listens (the isolation tests): an unheard event still costs an async dispatch per page.
    if (emitter.hasListeners('portal:transaction_opened')) {
      emitter.emit('portal:transaction_opened', { clientId, backendPid: result.rows[0].pid })
    }
  } catch (error) {
    await trx.rollback()
    throw error
  }
  return trx
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    /** Which database backend serves which client's request (observability, tests). */
    'portal:transaction_opened': { clientId: number; backendPid: number }
  }
}
