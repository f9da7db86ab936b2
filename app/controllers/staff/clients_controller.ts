import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import type { Infer } from '@vinejs/vine/types'
import { DateTime } from 'luxon'
import Client, { CLIENT_STATUSES, CLIENT_STATUS_LABELS, PORTAL_STATUS_LABELS } from '#models/client'
import Appointment from '#models/appointment'
import StaffUser from '#models/staff_user'
import { RELATIONSHIP_LABELS } from '#models/client_user_link'
import ClientPreference from '#models/client_preference'
import { PREFERRED_LANGUAGES } from '#support/contact_preferences'
import {
  clientListFilterValidator,
  createClientValidator,
  updateClientValidator,
} from '#validators/client'
import { rememberedClientSearch } from '#controllers/staff/client_searches_controller'
import { audit } from '#services/audit'

const PER_PAGE = 25
/** Appointments shown per list on the client page; the Appointments area has the rest. */
const APPOINTMENTS_SHOWN = 25

/*
| The staff Clients area. Every lookup goes through Client.visibleTo(staff),
| so a clinician asking for a client outside their caseload gets the same
| 404 as for a client that does not exist; the policy then checks again.
*/
export default class ClientsController {
  async index(ctx: HttpContext) {
    const { request, response, bouncer, view, session } = ctx
    await bouncer.with('ClientPolicy').authorize('viewAny')
    const staff = ctx.auth.use('staff').getUserOrFail()
    const clinicians = await clinicianChoices()
    const term = rememberedClientSearch(session)

    const [error, filters] = await request.tryValidateUsing(clientListFilterValidator, {
      data: request.qs(),
    })
    if (error) {
      response.status(422)
      return view.render('pages/staff/clients/index', {
        ...listOptions(clinicians),
        term,
        filters: {},
        filterErrors: firstErrorOfEachField(error.messages),
        clients: null,
      })
    }

    const { page = 1, status, clinician } = filters
    const clients = await Client.query()
      .withScopes((scopes) => {
        scopes.visibleTo(staff)
        if (term) scopes.search(term)
        if (status) scopes.withStatus(status)
        if (clinician) scopes.withPrimaryClinician(clinician === 'none' ? null : Number(clinician))
        scopes.alphabetical({ narrowed: Boolean(term) })
      })
      .preload('primaryClinician')
      .paginate(page, PER_PAGE)
    clients.baseUrl(urlFor('staff.clients.index')).queryString({ status, clinician })

    if (term) {
      // How many, never what was looked for.
      await audit(ctx, {
        action: 'staff.clients.searched',
        actorKind: 'staff',
        actorId: staff.id,
        detail: { resultCount: clients.total },
      })
    }

    return view.render('pages/staff/clients/index', {
      ...listOptions(clinicians),
      term,
      filters: { status, clinician },
      filterErrors: {},
      clients,
    })
  }

  async show(ctx: HttpContext) {
    const { params, bouncer, view } = ctx
    const staff = ctx.auth.use('staff').getUserOrFail()
    const client = await Client.query()
      .withScopes((scopes) => {
        scopes.visibleTo(staff)
        scopes.withRecordDetails()
      })
      .where('clients.id', params.id)
      .firstOrFail()
    await bouncer.with('ClientPolicy').authorize('view', client)

    const now = DateTime.now()
    const appointmentsOfClient = () =>
      Appointment.query()
        .withScopes((scopes) => scopes.forClient(client.id))
        .preload('provider')
        .preload('appointmentType')
        .limit(APPOINTMENTS_SHOWN + 1)
    const [upcoming, past, preference] = await Promise.all([
      appointmentsOfClient().withScopes((scopes) => scopes.upcoming(now)),
      appointmentsOfClient().withScopes((scopes) => scopes.past(now)),
      ClientPreference.query()
        .withScopes((scopes) => scopes.forClient(client.id))
        .first(),
    ])

    await audit(ctx, {
      action: 'staff.client.viewed',
      actorKind: 'staff',
      actorId: staff.id,
      clientId: client.id,
      detail: { clientId: client.id },
    })

    return view.render('pages/staff/clients/show', {
      client,
      preference,
      portalStatus: client.portalStatus(),
      portalStatusLabels: PORTAL_STATUS_LABELS,
      relationshipLabels: RELATIONSHIP_LABELS,
      languageLabels: PREFERRED_LANGUAGES,
      upcoming: upcoming.slice(0, APPOINTMENTS_SHOWN),
      moreUpcoming: upcoming.length > APPOINTMENTS_SHOWN,
      past: past.slice(0, APPOINTMENTS_SHOWN),
      morePast: past.length > APPOINTMENTS_SHOWN,
      appointmentsShown: APPOINTMENTS_SHOWN,
    })
  }

  async create({ bouncer, view }: HttpContext) {
    await bouncer.with('ClientPolicy').authorize('create')
    return view.render('pages/staff/clients/create', {
      ...formOptions(await clinicianChoices()),
      mayAssignClinician: true,
    })
  }

  async store(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    await bouncer.with('ClientPolicy').authorize('create')
    const staff = ctx.auth.use('staff').getUserOrFail()
    const details = await request.validateUsing(createClientValidator, {
      meta: { currentClinicianId: null, storedPhones: {} },
    })

    const client = await Client.create({
      ...clientAttributes(details),
      primaryClinicianId: details.primaryClinicianId ?? null,
    })
    await audit(ctx, {
      action: 'staff.client.created',
      actorKind: 'staff',
      actorId: staff.id,
      clientId: client.id,
      detail: { clientId: client.id },
    })

    session.flash('success', `${client.fullName} is added.`)
    return response.redirect().toRoute('staff.clients.show', { id: client.id })
  }

  async edit({ params, bouncer, view, auth }: HttpContext) {
    const staff = auth.use('staff').getUserOrFail()
    const client = await visibleClientOrFail(staff, params.id)
    await client.load('primaryClinician')
    await bouncer.with('ClientPolicy').authorize('update', client)

    return view.render('pages/staff/clients/edit', {
      client,
      ...formOptions(await clinicianChoices(client.primaryClinician)),
      mayAssignClinician: await bouncer.with('ClientPolicy').allows('assignClinician'),
    })
  }

  async update(ctx: HttpContext) {
    const { params, request, response, bouncer, session } = ctx
    const staff = ctx.auth.use('staff').getUserOrFail()
    // Load first: a client outside the caseload is a 404 whatever the form holds.
    const client = await visibleClientOrFail(staff, params.id)
    await bouncer.with('ClientPolicy').authorize('update', client)
    const details = await request.validateUsing(updateClientValidator, {
      meta: { currentClinicianId: client.primaryClinicianId, storedPhones: { phone: client.phone } },
    })

    const previousStatus = client.status
    const { dateOfBirth, ...attributes } = clientAttributes(details)
    client.merge(attributes)
    // Compared as days: the same date read back from the database is another DateTime object.
    if (client.dateOfBirth?.toISODate() !== dateOfBirth.toISODate()) client.dateOfBirth = dateOfBirth
    // Clinicians do not reassign caseloads: the field is not theirs to send.
    if (await bouncer.with('ClientPolicy').allows('assignClinician')) {
      client.primaryClinicianId = details.primaryClinicianId ?? null
    }
    const changedFields = Object.keys(client.$dirty)

    if (changedFields.length) {
      await client.save()
      await audit(ctx, {
        action: 'staff.client.updated',
        actorKind: 'staff',
        actorId: staff.id,
        clientId: client.id,
        detail: { clientId: client.id, fields: changedFields.join(',') },
      })
      // Leaving 'active' ends portal access on the portal's next request
      // (its access check reads the status every time).
      if (client.status !== previousStatus) {
        await audit(ctx, {
          action: 'staff.client.status_changed',
          actorKind: 'staff',
          actorId: staff.id,
          clientId: client.id,
          detail: { clientId: client.id, from: previousStatus, to: client.status },
        })
      }
    }

    session.flash('success', changedFields.length ? `${client.fullName} is saved.` : 'Nothing was changed.')
    return response.redirect().toRoute('staff.clients.show', { id: client.id })
  }
}

function visibleClientOrFail(staff: StaffUser, id: string | number) {
  return Client.query()
    .withScopes((scopes) => scopes.visibleTo(staff))
    .where('clients.id', id)
    .firstOrFail()
}

/** The form's values as columns; an emptied optional field is cleared. */
function clientAttributes(details: Infer<typeof createClientValidator>) {
  return {
    firstName: details.firstName,
    lastName: details.lastName,
    preferredName: details.preferredName || null,
    dateOfBirth: details.dateOfBirth,
    email: details.email || null,
    phone: details.phone || null,
    addressLine1: details.addressLine1 || null,
    addressLine2: details.addressLine2 || null,
    city: details.city || null,
    region: details.region || null,
    postalCode: details.postalCode || null,
    status: details.status,
  }
}

interface ClinicianChoice {
  id: number
  name: string
  isActive: boolean
}

/**
 * Active clinicians by name, plus the client's current one if they have
 * left. Plain rows, not models: a large practice has hundreds of clinicians
 * and each is only an option in a list.
 */
async function clinicianChoices(current?: StaffUser | null): Promise<ClinicianChoice[]> {
  const active = await StaffUser.query()
    .withScopes((scopes) => scopes.clinicians())
    .select('id', 'name')
    .orderBy('name', 'asc')
    .pojo<{ id: number; name: string }>()
  const choices = active.map(({ id, name }) => ({ id, name, isActive: true }))
  if (current && !choices.some((choice) => choice.id === current.id)) {
    choices.push({ id: current.id, name: current.name, isActive: current.isActive })
  }
  return choices
}

const statusOptions = CLIENT_STATUSES.map((value) => ({ value, label: CLIENT_STATUS_LABELS[value] }))

function listOptions(clinicians: ClinicianChoice[]) {
  return {
    statusOptions: [{ value: '', label: 'Any status' }, ...statusOptions],
    clinicianOptions: [
      { value: '', label: 'Any clinician' },
      { value: 'none', label: 'No primary clinician' },
      ...clinicians.map((clinician) => ({ value: String(clinician.id), label: clinician.name })),
    ],
  }
}

function formOptions(clinicians: ClinicianChoice[]) {
  return {
    statusOptions,
    clinicianOptions: [
      { value: '', label: 'None yet' },
      ...clinicians.map((clinician) => ({
        value: String(clinician.id),
        label: clinician.isActive ? clinician.name : `${clinician.name} (no longer active)`,
      })),
    ],
  }
}

/** The first problem of each field, for the message next to it. */
function firstErrorOfEachField(messages: unknown) {
  const byField: Record<string, string> = {}
  for (const { field, message } of messages as { field: string; message: string }[]) {
    byField[field] ??= message
  }
  return byField
}
