/*
| Environment variables, validated at boot. A wrong value stops start-up with
| a message naming the variable.
*/
import { Env } from '@adonisjs/core/env'

/** An IANA time zone such as "America/Chicago": every date shown and every "today" uses it. */
function ianaTimeZone(name: string, value?: string) {
  if (!value) throw new Error(`Missing environment variable "${name}"`)
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
  } catch {
    throw new Error(`Environment variable "${name}" must be an IANA time zone, e.g. America/Chicago`)
  }
  return value
}

/** A PostgreSQL role name, interpolated into DDL by migrations: keep it a plain identifier. */
function roleName(name: string, value?: string) {
  if (!value) return undefined
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value)) {
    throw new Error(`Environment variable "${name}" must be a lower-case SQL identifier`)
  }
  return value
}

function postgresUrl(name: string, value?: string) {
  if (!value) return undefined
  if (!/^postgres(ql)?:\/\//.test(value)) {
    throw new Error(`Environment variable "${name}" must be a postgres:// URL`)
  }
  return value
}

const env = await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  HOST: Env.schema.string({ format: 'host' }),
  APP_KEY: Env.schema.secret(),
  APP_URL: Env.schema.string({ format: 'url', tld: false }),
  LOG_LEVEL: Env.schema.enum.optional([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),

  /*
  | Database. Without DATABASE_URL, development and tests run on an embedded
  | PostgreSQL started by `npm run dev` / `npm test`; production refuses.
  */
  DATABASE_URL: postgresUrl,
  DB_POOL_MAX: Env.schema.number.optional(),
  DB_MACHINERY_POOL_MAX: Env.schema.number.optional(),
  PORTAL_DB_ROLE: roleName,
  EMBEDDED_PG_DIR: Env.schema.string.optional(),
  EMBEDDED_PG_PORT: Env.schema.number.optional(),

  /*
  | Where uploaded resources are kept: `fs` (local disk under DRIVE_ROOT, the
  | default) or `s3` (S3-compatible storage; README "Running in production").
  */
  DRIVE_DISK: Env.schema.enum.optional(['fs', 's3'] as const),
  DRIVE_ROOT: Env.schema.string.optional(),
  S3_BUCKET: Env.schema.string.optional(),
  S3_REGION: Env.schema.string.optional(),
  S3_ENDPOINT: Env.schema.string.optional({ format: 'url', tld: false }),
  S3_FORCE_PATH_STYLE: Env.schema.boolean.optional(),
  S3_ACCESS_KEY_ID: Env.schema.string.optional(),
  S3_SECRET_ACCESS_KEY: Env.schema.secret.optional(),
  /* Test S3 servers only (s3rver): send checksums only when an operation requires them. */
  S3_CHECKSUMS_WHEN_REQUIRED: Env.schema.boolean.optional(),

  /*
  | The practice this deployment serves.
  */
  PRACTICE_NAME: Env.schema.string(),
  PRACTICE_PHONE: Env.schema.string(),
  PRACTICE_TIMEZONE: ianaTimeZone,
  CRISIS_LINE_TEXT: Env.schema.string(),
  CRISIS_LINE_TEXT_ES: Env.schema.string.optional(),

  /*
  | Sessions: idle sign-out (HIPAA automatic log-off), in minutes.
  */
  PORTAL_IDLE_MINUTES: Env.schema.number.optional(),
  STAFF_IDLE_MINUTES: Env.schema.number.optional(),

  /*
  | Mail. With SMTP_HOST set, mail goes through that server (development
  | too); without it, development captures mail locally for reading.
  */
  SMTP_HOST: Env.schema.string.optional({ format: 'host' }),
  SMTP_PORT: Env.schema.number.optional(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),
  SMTP_SECURE: Env.schema.boolean.optional(),
  MAIL_FROM: Env.schema.string.optional(),
  /* Delivery retries: attempts in all, and the first back-off (doubling each time). */
  MAIL_MAX_ATTEMPTS: Env.schema.number.optional(),
  MAIL_RETRY_BASE_SECONDS: Env.schema.number.optional(),

  /*
  | /health: 503 when no worker beat for this long, or the oldest unsent
  | mail is older than this (seconds; 0 = not checked). Production
  | defaults: 300 and 1800; elsewhere unchecked unless set.
  */
  HEALTH_WORKER_MAX_SILENCE_SECONDS: Env.schema.number.optional(),
  HEALTH_MAIL_MAX_AGE_SECONDS: Env.schema.number.optional(),

  /*
  | Graceful shutdown: how long a stopping web process lets in-flight
  | requests finish (seconds, default 10) before it closes anyway.
  */
  SHUTDOWN_GRACE_SECONDS: Env.schema.number.optional(),

  /*
  | Portal invitations and password resets.
  */
  INVITATION_EXPIRY_HOURS: Env.schema.number.optional(),
  PASSWORD_RESET_EXPIRY_MINUTES: Env.schema.number.optional(),

  /*
  | Sign-in throttling (both sides). Lower bounds keep it from being switched
  | off; tests and the benchmark may raise the limits.
  */
  SIGN_IN_MAX_FAILURES: Env.schema.number.optional(),
  SIGN_IN_LOCKOUT_MINUTES: Env.schema.number.optional(),
  SIGN_IN_MAX_PER_IP_PER_MINUTE: Env.schema.number.optional(),

  /*
  | `npm run bench` only: registers the bare baseline route it compares against.
  */
  BENCH_BASELINE: Env.schema.boolean.optional(),

  /*
  | Demo data (development and tests only).
  */
  DEMO_PASSWORD: Env.schema.string.optional(),
  /* Base32 TOTP secret of the demo ceo and admin, for any authenticator app. */
  DEMO_TOTP_SECRET: Env.schema.string.optional(),
})

if (env.get('DRIVE_DISK') === 's3' && (!env.get('S3_BUCKET') || !env.get('S3_REGION'))) {
  throw new Error('DRIVE_DISK=s3 needs S3_BUCKET and S3_REGION (and S3_ENDPOINT for storage other than AWS)')
}

if (env.get('NODE_ENV') === 'production' && !env.get('DATABASE_URL')) {
  throw new Error(
    'DATABASE_URL is required in production (the embedded PostgreSQL is for development and tests only)'
  )
}

export default env
