import Appointment from '#models/appointment'
import AppointmentRequest from '#models/appointment_request'
import Client from '#models/client'
import ClientPreference from '#models/client_preference'
import EmergencyContact from '#models/emergency_contact'
import Resource from '#models/resource'
import ResourceShare from '#models/resource_share'
import WaitlistEntry from '#models/waitlist_entry'
import type { LucidModel, QueryScope } from '@adonisjs/lucid/types/model'

/*
| The client data a portal page may read or write, by name. Portal
| controllers and actions reach these models only through the PortalContext
| (`portal.query('appointments')`), never as imported classes, so no portal
| query can skip the request's RLS transaction or `forClient`.
| A table added for the portal is added here (and gets its RLS policy).
*/
/** A model of client data: each row belongs to one client, found by its `forClient` scope. */
export type ClientDataModel = LucidModel & {
  forClient: QueryScope<any, (query: any, clientId: number) => void>
}

export const CLIENT_DATA = {
  clients: Client,
  appointments: Appointment,
  appointmentRequests: AppointmentRequest,
  clientPreferences: ClientPreference,
  emergencyContacts: EmergencyContact,
  resources: Resource,
  resourceShares: ResourceShare,
  waitlistEntries: WaitlistEntry,
} satisfies Record<string, ClientDataModel>

export type ClientData = typeof CLIENT_DATA
export type ClientDataName = keyof ClientData

/*
| Client data is read as the app role (no RLS) only outside the portal: by
| the staff application, whose policies and `Client.visibleTo` decide what
| each member of staff sees (DESIGN §3), and by these operator and
| background processes, by name. tests/unit/app_role_readers.spec.ts keeps
| this list true.
*/
export const APP_ROLE_READERS_OF_CLIENT_DATA = {
  'portal:invite': 'finds the client an invitation is for and checks who may be invited',
  'portal:disable':
    "asks the contact rules (mayContact) of the account's clients before the notice email, and tells each client the account had access to (access notices)",
  'db:seed': 'writes the demo practice (development only)',
  'jobs:work':
    'the reminder pass reads due appointments, their clients, preferences and recipients; the waitlist pass matches freed slots to waiting clients and writes their offers; the insights rollup counts appointments and clients; the 18th-birthday pass ends parents\' links and tells the client',
  'insights:refresh': 'rebuilds the insights rollup: counts of appointments by day and outcome, and per client (ids and counts only)',
  'reminders:send': 'one reminder pass (or its dry run) on demand',
} as const
