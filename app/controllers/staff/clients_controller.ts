import type { HttpContext } from '@adonisjs/core/http'
import { mayOpen } from '#abilities/areas'
import { urlFor } from '@adonisjs/core/services/url_builder'
import db from '@adonisjs/lucid/services/db'
import Client from '#models/client'
import ClientPreference from '#models/client_preference'
import PracticeSetting from '#models/practice_setting'
import { clientColumns, clientListFilterValidator, createClientValidator, updateClientValidator } from '#validators/client'
import { firstErrorOfEachField } from '#validators/field_error'
import { CLIENT_SEARCH_KEY, rememberedSearch } from '#services/remembered_searches'
import { audit } from '#services/audit'
import { clientFilterChoices, clientFormChoices } from '#pages/staff/choices'
import { clientRecordPage } from '#pages/staff/client_page'
import { sortHeaders } from '#pages/staff/sorting'

const PER_PAGE = 25

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
    const page = { ...(await clientFilterChoices()), term: rememberedSearch(session, CLIENT_SEARCH_KEY) }

    const [error, filters] = await request.tryValidateUsing(clientListFilterValidator, { data: request.qs() })
    if (error) {
      response.status(422)
      return view.render('pages/staff/clients/index', { ...page, filters: {}, filterErrors: firstErrorOfEachField(error), clients: null })
    }

    const { page: pageNumber = 1, status, clinician, sort = 'name', dir = 'asc' } = filters
    const clients = await Client.query()
      .withScopes((scopes) => {
        scopes.visibleTo(staff)
        if (page.term) scopes.search(page.term)
        if (status) scopes.withStatus(status)
        if (clinician) scopes.withPrimaryClinician(clinician === 'none' ? null : Number(clinician))
        if (filters.sort) scopes.sortedBy(sort, dir, { narrowed: Boolean(page.term) })
        else scopes.alphabetical({ narrowed: Boolean(page.term) })
      })
      .preload('primaryClinician')
      .paginate(pageNumber, PER_PAGE)
    const order = filters.sort ? { sort, dir } : {}
    clients.baseUrl(urlFor('staff.clients.index')).queryString({ status, clinician, ...order })
    const headers = sortHeaders(
      urlFor('staff.clients.index'),
      { status, clinician },
      [
        { key: 'name', label: 'Name' },
        { key: 'dateOfBirth', label: 'Date of birth' },
        { key: 'status', label: 'Status' },
      ],
      { sort, dir }
    )

    if (page.term) {
      // How many, never what was looked for.
      await audit(ctx, {
        action: 'staff.clients.searched',
        actorKind: 'staff',
        actorId: staff.id,
        detail: { resultCount: clients.total },
      })
    }
    return view.render('pages/staff/clients/index', { ...page, filters: { status, clinician, ...order }, filterErrors: {}, clients, headers })
  }

  async show(ctx: HttpContext) {
    const { params, bouncer, view } = ctx
    const staff = ctx.auth.use('staff').getUserOrFail()
    const client = await Client.query()
      .withScopes((scopes) => scopes.visibleTo(staff))
      .withScopes((scopes) => scopes.withRecordDetails())
      .where('clients.id', params.id)
      .firstOrFail()
    await bouncer.with('ClientPolicy').authorize('view', client)
    const page = await clientRecordPage(client, {
      mayEditContactRules: await bouncer.with('ClientPolicy').allows('editContactRules', client),
      maySetLinkLevels: mayOpen(staff, 'portalSettings'),
    })
    await audit(ctx, {
      action: 'staff.client.viewed',
      actorKind: 'staff',
      actorId: staff.id,
      clientId: client.id,
      detail: { clientId: client.id },
    })
    return view.render('pages/staff/clients/show', page)
  }

  async create({ bouncer, view }: HttpContext) {
    await bouncer.with('ClientPolicy').authorize('create')
    return view.render('pages/staff/clients/create', { ...(await clientFormChoices()), mayAssignClinician: true })
  }

  async store(ctx: HttpContext) {
    const { request, response, bouncer, session } = ctx
    await bouncer.with('ClientPolicy').authorize('create')
    const staff = ctx.auth.use('staff').getUserOrFail()
    const details = await request.validateUsing(createClientValidator, {
      meta: { currentClinicianId: null, storedPhones: {} },
    })

    // The database's trigger gives a new client a preferences row; it starts with the practice's default lead time.
    const { defaultReminderLeadHours } = await PracticeSetting.current()
    const client = await db.transaction(async (trx) => {
      const created = await Client.create(
        { ...clientColumns(details), primaryClinicianId: details.primaryClinicianId ?? null },
        { client: trx }
      )
      await ClientPreference.query({ client: trx })
        .withScopes((scopes) => scopes.forClient(created.id))
        .update({ reminderLeadHours: defaultReminderLeadHours })
      return created
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
    const client = await Client.findVisibleOrFail(auth.use('staff').getUserOrFail(), params.id)
    await client.load('primaryClinician')
    await bouncer.with('ClientPolicy').authorize('update', client)
    return view.render('pages/staff/clients/edit', {
      client,
      ...(await clientFormChoices(client.primaryClinician)),
      mayAssignClinician: await bouncer.with('ClientPolicy').allows('assignClinician'),
    })
  }

  async update(ctx: HttpContext) {
    const { params, request, response, bouncer, session } = ctx
    const staff = ctx.auth.use('staff').getUserOrFail()
    // Load first: a client outside the caseload is a 404 whatever the form holds.
    const client = await Client.findVisibleOrFail(staff, params.id)
    await bouncer.with('ClientPolicy').authorize('update', client)
    const details = await request.validateUsing(updateClientValidator, {
      meta: { currentClinicianId: client.primaryClinicianId, storedPhones: { phone: client.phone } },
    })

    const previousStatus = client.status
    const { dateOfBirth, ...columns } = clientColumns(details)
    client.merge(columns)
    // Compared as days: the same date read back from the database is another DateTime object.
    if (client.dateOfBirth?.toISODate() !== dateOfBirth.toISODate()) client.dateOfBirth = dateOfBirth
    // Clinicians do not reassign caseloads: the field is not theirs to send.
    if (await bouncer.with('ClientPolicy').allows('assignClinician')) {
      client.primaryClinicianId = details.primaryClinicianId ?? null
    }
    const changedFields = Object.keys(client.$dirty)

    if (changedFields.length) {
      await client.save()
      const auditOf = (action: string, detail: Record<string, string | number>) =>
        audit(ctx, { action, actorKind: 'staff', actorId: staff.id, clientId: client.id, detail })
      await auditOf('staff.client.updated', { clientId: client.id, fields: changedFields.join(',') })
      // Leaving 'active' ends portal access on the portal's next request (its access check reads the status every time).
      if (client.status !== previousStatus) {
        await auditOf('staff.client.status_changed', { clientId: client.id, from: previousStatus, to: client.status })
      }
    }
    session.flash('success', changedFields.length ? `${client.fullName} is saved.` : 'Nothing was changed.')
    return response.redirect().toRoute('staff.clients.show', { id: client.id })
  }
}
