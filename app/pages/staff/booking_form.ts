import type Appointment from '#models/appointment'
import AppointmentType from '#models/appointment_type'
import { clinicianChoices } from '#pages/staff/choices'

/** Providers, types and places for the booking and reschedule forms. */
export async function bookingChoices(appointment?: Appointment) {
  const types = await AppointmentType.query().withScopes((scopes) => {
    scopes.active()
    scopes.alphabetical()
  })
  const current = appointment?.appointmentType
  if (current && !types.some((type) => type.id === current.id)) types.push(current)
  return {
    providerOptions: await clinicianChoices([{ value: '', label: 'Choose a clinician' }], appointment?.provider),
    typeOptions: [
      { value: '', label: 'Choose a type' },
      ...types.map((type) => ({
        value: type.id,
        label: `${type.name}, ${type.defaultMinutes} minutes${type.isTelehealth ? ', telehealth' : ''}${type.isActive ? '' : ' (no longer offered)'}`,
      })),
    ],
    modalityOptions: [
      { value: 'in_person', label: 'In person' },
      { value: 'telehealth', label: 'Telehealth (video)' },
    ],
  }
}
