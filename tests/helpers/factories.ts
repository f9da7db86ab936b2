import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import { DateTime } from 'luxon'
import StaffUser, { TWO_FACTOR_ROLES, type StaffRole } from '#models/staff_user'
import { encryptTotpSecret, newTotpSecret } from '#services/two_factor'
import { HOTP, Secret, TOTP } from 'otpauth'
import Client from '#models/client'
import ClientUser from '#models/client_user'
import ClientUserLink, { type Relationship } from '#models/client_user_link'
import AppointmentType from '#models/appointment_type'
import Appointment from '#models/appointment'
import Resource from '#models/resource'
import ResourceShare from '#models/resource_share'
import EmergencyContact from '#models/emergency_contact'
import drive from '@adonisjs/drive/services/main'
import { createHash } from 'node:crypto'
import { WebSession } from '#tests/helpers/web'

/*
| Test data, each piece unique to its test: the database is shared by the
| whole run and never truncated.
*/
export const PASSWORD = 'a-long-test-password-42'
let counter = 0
const unique = (label: string) => `${label}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`

let passwordHash: Promise<string> | null = null
/** Hash the shared password once; inserting the hash skips a scrypt per account. */
function hashedPassword() {
  passwordHash ??= hash.make(PASSWORD)
  return passwordHash
}

/*
| Two-factor sign-in in tests: a ceo or admin made by createStaff is enrolled
| (its secret stored encrypted, as the app stores it; the plain secret kept
| here). Codes are computed from the secret like an authenticator app does;
| the helper remembers the last step it used per account, because the app
| accepts each step only once.
*/
const totpSecrets = new Map<number, string>()
const lastStepUsed = new Map<number, number>()

/** The plain base32 TOTP secret of a staff member enrolled by a helper. */
export function totpSecretOf(staff: StaffUser) {
  const secret = totpSecrets.get(staff.id)
  if (!secret) throw new Error(`Staff #${staff.id} has no two-factor secret from the test helpers`)
  return secret
}

/** The code for a 30-second step (now, or now + offset steps). */
export function totpCode(secret: string, step = TOTP.counter({ period: 30 })) {
  return HOTP.generate({ secret: Secret.fromBase32(secret), counter: step, digits: 6, algorithm: 'SHA1' })
}

/**
 * A code the app has not accepted yet for this account: the current step,
 * or the next one (within the ±1 window) when the current one was used; waits
 * for the clock when both were.
 */
export async function nextTotpCode(staff: StaffUser) {
  const secret = totpSecretOf(staff)
  for (;;) {
    const now = TOTP.counter({ period: 30 })
    // The server takes the step before, this one and the next. The step before
    // stops being taken when this period ends: near its end (a slow browser
    // test reached the server after it), start from this step instead.
    const secondsLeft = 30 - ((Date.now() / 1000) % 30)
    const earliest = secondsLeft > 8 ? now - 1 : now
    const step = Math.max(earliest, (lastStepUsed.get(staff.id) ?? -Infinity) + 1)
    if (step <= now + 1) {
      lastStepUsed.set(staff.id, step)
      return totpCode(secret, step)
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

/** Enrols a staff member as the app would: encrypted secret, confirmed. */
export async function enrolTwoFactor(staff: StaffUser, secret = newTotpSecret()) {
  staff.totpSecret = encryptTotpSecret(secret)
  staff.totpConfirmedAt = DateTime.now()
  staff.totpLastUsedStep = null
  await staff.save()
  totpSecrets.set(staff.id, secret)
  lastStepUsed.delete(staff.id)
  return secret
}

/** A ceo or admin is enrolled in two-factor sign-in unless `{ twoFactor: false }`. */
export async function createStaff(
  role: StaffRole = 'admin',
  attributes: Partial<StaffUser> = {},
  options: { twoFactor?: boolean } = {}
) {
  const email = `${unique(role)}@staff.test`
  const [row] = await db
    .table('staff_users')
    .insert({ name: unique('Staff'), email, password: await hashedPassword(), role, is_active: true })
    .returning('id')
  const staff = await StaffUser.findOrFail(row.id)
  if (Object.keys(attributes).length) await staff.merge(attributes).save()
  if (options.twoFactor ?? TWO_FACTOR_ROLES.includes(staff.role)) await enrolTwoFactor(staff)
  return staff
}

export async function createClient(attributes: Partial<Client> = {}) {
  return Client.create({
    firstName: unique('First'),
    lastName: unique('Last'),
    dateOfBirth: DateTime.fromISO('1990-04-12'),
    status: 'active',
    ...attributes,
  })
}

export async function createPortalAccount(
  clients: Client | Client[],
  relationship: Relationship = 'self',
  attributes: Partial<ClientUser> = {}
) {
  const email = `${unique('portal')}@portal.test`
  const [row] = await db
    .table('client_users')
    .insert({ email, password: await hashedPassword(), display_name: unique('Name'), status: 'active' })
    .returning('id')
  const account = await ClientUser.findOrFail(row.id)
  if (Object.keys(attributes).length) await account.merge(attributes).save()
  for (const client of [clients].flat()) {
    await ClientUserLink.create({
      clientUserId: account.id,
      clientId: client.id,
      relationship,
      verifiedAt: DateTime.now(),
      consentRecordedAt: relationship === 'authorized_caregiver' ? DateTime.now() : null,
    })
  }
  return account
}

let appointmentType: AppointmentType | null = null
export async function createAppointment(client: Client, provider: StaffUser, attributes: Partial<Appointment> = {}) {
  appointmentType ??= await AppointmentType.create({ name: unique('Type'), defaultMinutes: 50 })
  const startsAt = attributes.startsAt ?? DateTime.now().plus({ days: 3, minutes: ++counter * 90 })
  return Appointment.create({
    clientId: client.id,
    providerId: provider.id,
    appointmentTypeId: appointmentType.id,
    startsAt,
    endsAt: startsAt.plus({ minutes: 50 }),
    status: 'scheduled',
    location: 'Suite 210',
    ...attributes,
  })
}

/** A browser session signed in through the real sign-in form (and the code step, when enrolled). */
export async function signedInStaff(staff: StaffUser) {
  const web = new WebSession()
  await web.get('/login')
  let response = await web.post('/login', { email: staff.email, password: PASSWORD })
  if (response.location === '/login/two-factor') response = await completeSecondFactor(web, staff)
  if (response.location !== '/dashboard') throw new Error(`Staff sign-in failed: ${response.status} ${response.location}`)
  return web
}

/** The second sign-in step with a fresh code from the account's secret. */
export async function completeSecondFactor(web: WebSession, staff: StaffUser) {
  await web.get('/login/two-factor')
  return web.post('/login/two-factor', { code: await nextTotpCode(staff) })
}

export async function signedInPortal(account: ClientUser) {
  const web = new WebSession()
  await web.get('/portal/login')
  const response = await web.post('/portal/login', { email: account.email, password: PASSWORD })
  if (response.location !== '/portal') throw new Error(`Portal sign-in failed: ${response.status}`)
  return web
}

/** A small real file in the Resource Library, shared with the given clients. */
export async function createSharedResource(clients: Client[], attributes: Partial<Resource> = {}) {
  const contents = Buffer.from(`Worksheet ${unique('content')}\n`)
  const key = `resources/${unique('file')}/worksheet.txt`
  await drive.use().put(key, contents)
  const resource = await Resource.create({
    title: unique('Worksheet'),
    fileKey: key,
    originalName: 'worksheet.txt',
    mimeType: 'text/plain',
    sizeBytes: contents.length,
    checksum: createHash('sha256').update(contents).digest('hex'),
    ...attributes,
  })
  for (const client of clients) {
    await ResourceShare.create({ resourceId: resource.id, clientId: client.id, sharedAt: DateTime.now() })
  }
  return { resource, contents }
}

export async function createEmergencyContact(client: Client, attributes: Partial<EmergencyContact> = {}) {
  return EmergencyContact.create({
    clientId: client.id,
    name: unique('Contact'),
    relationship: 'Friend',
    phone: '+15550100000',
    priority: 1,
    ...attributes,
  })
}
