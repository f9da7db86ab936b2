import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import { DateTime } from 'luxon'
import StaffUser, { type StaffRole } from '#models/staff_user'
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

export async function createStaff(role: StaffRole = 'admin', attributes: Partial<StaffUser> = {}) {
  const email = `${unique(role)}@staff.test`
  const [row] = await db
    .table('staff_users')
    .insert({ name: unique('Staff'), email, password: await hashedPassword(), role, is_active: true })
    .returning('id')
  const staff = await StaffUser.findOrFail(row.id)
  if (Object.keys(attributes).length) await staff.merge(attributes).save()
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

/** A browser session signed in through the real sign-in form. */
export async function signedInStaff(staff: StaffUser) {
  const web = new WebSession()
  await web.get('/login')
  const response = await web.post('/login', { email: staff.email, password: PASSWORD })
  if (response.location !== '/dashboard') throw new Error(`Staff sign-in failed: ${response.status}`)
  return web
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
