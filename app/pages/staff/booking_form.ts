import type Appointment from '#models/appointment'
import AppointmentType from '#models/appointment_type'
import Client from '#models/client'
import type StaffUser from '#models/staff_user'
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

/**
 * The clients a booking may be for. "Book for this client" links carry the
 * client: then only that client is offered (with a way to choose another),
 * so a large practice's page does not list every client.
 */
export async function bookableClientChoices(staff: StaffUser, askedFor: number | null) {
  const bookable = () =>
    Client.query()
      .withScopes((scopes) => {
        scopes.visibleTo(staff)
        scopes.withStatus('active')
        scopes.alphabetical()
      })
      .withScopes((scopes) => scopes.asChoice())
  const asked = askedFor ? await bookable().where('clients.id', askedFor) : []
  const clients = asked.length ? asked : await bookable()
  return {
    oneClientOnly: asked.length > 0,
    preselected: asked.length ? asked[0].id : '',
    clientOptions: [
      { value: '', label: 'Choose a client' },
      ...clients.map((client) => ({ value: client.id, label: client.choiceLabel })),
    ],
  }
}
