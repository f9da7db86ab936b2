import db from '@adonisjs/lucid/services/db'

/*
| Workers' signs of life (worker_heartbeats), written by `jobs:work` and
| read by /health. Machinery pool: never a client's transaction.
*/

/** A worker says it is alive (and, now and then, forgets workers silent for a day). */
export async function recordHeartbeat(workerId: string) {
  const machinery = db.connection('machinery')
  await machinery.rawQuery(
    `insert into worker_heartbeats (worker_id, started_at, beat_at) values (?, now(), now())
     on conflict (worker_id) do update set beat_at = now()`,
    [workerId.slice(0, 200)]
  )
  if (Math.random() < 0.01) {
    await machinery.from('worker_heartbeats').where('beat_at', '<', machinery.raw(`now() - interval '1 day'`)).delete()
  }
}

export interface BackgroundWorkState {
  /** Seconds since any worker's last heartbeat; null when none ever beat. */
  workerSilentSeconds: number | null
  /** Age in seconds of the oldest mail not yet sent (queued or being sent); null when none waits. */
  oldestQueuedMailSeconds: number | null
}

export async function backgroundWorkState(): Promise<BackgroundWorkState> {
  const { rows } = await db.connection('machinery').rawQuery(
    // The partial indexes on queued and leased mail keep the unsent rows a small set to scan.
    `select extract(epoch from now() - (select max(beat_at) from worker_heartbeats))::float8 as worker_silent,
            extract(epoch from now() - least(
              (select min(created_at) from mail_messages where status = 'queued'),
              (select min(created_at) from mail_messages where status = 'sending')
            ))::float8 as oldest_mail`
  )
  const round = (value: number | null) => (value === null ? null : Math.max(0, Math.round(value)))
  return { workerSilentSeconds: round(rows[0].worker_silent), oldestQueuedMailSeconds: round(rows[0].oldest_mail) }
}
