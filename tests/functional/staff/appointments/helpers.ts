import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import practice from '#config/practice'
import Appointment from '#models/appointment'
import AppointmentType from '#models/appointment_type'
import type Client from '#models/client'
import type StaffUser from '#models/staff_user'
import { practiceNow } from '#support/practice_time'
/*
| The database is shared by the whole run and never truncated, so every test
| makes its own clinicians and clients, and narrows lists to them (by
| clinician, or by a range of days far from anyone else's).
*/
let counter = 0
export const uniqueWord = (label: string) =>
  `${label}${process.pid}x${++counter}x${Math.random().toString(36).slice(2, 8)}`

/** What a datetime-local input shows for this moment in the practice. */
export const local = (moment: DateTime) => moment.setZone(practice.timeZone).toFormat("yyyy-MM-dd'T'HH:mm")

/** A time of day `days` from today, in the practice's time zone. */
export const practiceAt = (days: number, hour: number, minute = 0) =>
  practiceNow().startOf('day').plus({ days }).set({ hour, minute })

/** Appointment ids in the order of the list's rows (their row headers link to them). */
export function appointmentRows(html: string) {
  return [...html.matchAll(/<th scope="row"><a href="\/appointments\/(\d+)">/g)].map((match) => Number(match[1]))
}

/** The part of a page between an element's id and the end of its table. */
export function tableById(html: string, id: string) {
  const start = html.indexOf(`id="${id}"`)
  return start === -1 ? '' : html.slice(start, html.indexOf('</table>', start))
}

/** The option values of one select of a form. */
export function optionsOf(html: string, selectId: string) {
  const start = html.indexOf(`<select id="${selectId}"`)
  if (start === -1) return []
  const select = html.slice(start, html.indexOf('</select>', start))
  return [...select.matchAll(/<option value="([^"]*)"/g)].map((match) => match[1])
}

/** The value of the chosen option of one select. */
export function selectedOf(html: string, selectId: string) {
  const start = html.indexOf(`<select id="${selectId}"`)
  if (start === -1) return null
  const select = html.slice(start, html.indexOf('</select>', start))
  return select.match(/<option value="([^"]*)" selected>/)?.[1] ?? null
}

/** Text as a regular expression matches it literally. */
export function escaped(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The error shown next to a field of a form page. */
export function fieldError(html: string, field: string) {
  return html.match(new RegExp(`id="field-${field}-error">([^<]*)<`))?.[1] ?? null
}

export function idFromLocation(location: string | null) {
  const match = location?.match(/^\/appointments\/(\d+)$/)
  return match ? Number(match[1]) : null
}

export async function createType(attributes: Partial<AppointmentType> = {}) {
  return AppointmentType.create({ name: uniqueWord('Type'), defaultMinutes: 50, isTelehealth: false, isActive: true, ...attributes })
}

export function bookingForm(
  client: Client,
  provider: StaffUser,
  type: AppointmentType,
  startsAt: DateTime,
  changes: Record<string, string> = {}
) {
  return {
    clientId: String(client.id),
    providerId: String(provider.id),
    appointmentTypeId: String(type.id),
    startsAt: local(startsAt),
    endsAt: '',
    modality: 'in_person',
    location: 'Suite 210',
    ...changes,
  }
}

export function auditRows(action: string, actorId: number) {
  return db.from('audit_events').where({ action, actor_kind: 'staff', actor_id: actorId }).orderBy('id', 'asc')
}

/** Rows of a table whose any column, as text, contains `text`. */
export async function rowsContaining(table: string, text: string) {
  const exists = await db.rawQuery('select to_regclass(?) as name', [`public.${table}`])
  if (!exists.rows[0].name) return []
  const found = await db.rawQuery(`select * from ${table} t where row_to_json(t)::text ilike ?`, [`%${text}%`])
  return found.rows
}

export async function countFor(provider: StaffUser) {
  const rows = await Appointment.query().where('providerId', provider.id)
  return rows.length
}

/** The client ids a client picker offers (its radio buttons), in order. */
export function pickerOptionsOf(html: string, name = 'clientId') {
  return [...html.matchAll(new RegExp(`<input type="radio" id="${name}-option-(\\d+)" name="${name}" value="\\d+"`, 'g'))].map((match) => match[1])
}

/** The client a client picker has chosen (its checked radio button), or null. */
export function pickedOf(html: string, name = 'clientId') {
  return html.match(new RegExp(`<input type="radio" id="${name}-option-\\d+" name="${name}" value="(\\d+)" checked>`))?.[1] ?? null
}

/** Searches a page's client picker as a browser without JavaScript does: posts the term, follows back to the page. */
export async function pickerSearch(web: { post: Function; follow: Function }, purpose: string, returnTo: string, term: string) {
  const response = await web.post('/clients/picker', { term, purpose, returnTo })
  return { response, page: await web.follow(response) }
}
