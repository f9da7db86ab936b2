import factory from '@adonisjs/lucid/factories'
import { DateTime } from 'luxon'
import type Client from '#models/client'
import type StaffUser from '#models/staff_user'
import AppointmentType from '#models/appointment_type'
import Appointment from '#models/appointment'
import { nextSequence, unique } from '#database/factories/unique'

export const AppointmentTypeFactory = factory
  .define(AppointmentType, () => ({ name: unique('Type'), defaultMinutes: 50 }))
  .build()

/** Three days ahead, each one 90 minutes after the previous, so they never overlap; 50 minutes long. */
export const AppointmentFactory = factory
  .define(Appointment, () => {
    const startsAt = DateTime.now().plus({ days: 3, minutes: nextSequence() * 90 })
    return { startsAt, endsAt: startsAt.plus({ minutes: 50 }), status: 'scheduled' as const, location: 'Suite 210' }
  })
  .build()

/** One appointment type serves every appointment of the run unless one is given. */
let sharedType: Promise<AppointmentType> | null = null

export async function createAppointment(client: Client, provider: StaffUser, attributes: Partial<Appointment> = {}) {
  sharedType ??= AppointmentTypeFactory.create()
  const startsAt = attributes.startsAt
  return AppointmentFactory.merge({
    clientId: client.id,
    providerId: provider.id,
    appointmentTypeId: (await sharedType).id,
    ...(startsAt ? { startsAt, endsAt: startsAt.plus({ minutes: 50 }) } : {}),
    ...attributes,
  }).create()
}
