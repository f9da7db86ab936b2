import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import resourceLibrary from '#config/resource_library'
import Resource, { type LibraryFilters } from '#models/resource'
import ResourceCategory from '#models/resource_category'
import ResourceShare from '#models/resource_share'
import { resourceDetailsValidator, resourceListValidator } from '#validators/resource_library'
import { withFieldError } from '#validators/field_error'
import { checkUpload, discardTemporaryFiles, storeUpload } from '#services/resource_files'
import { audit } from '#services/audit'
import { SHARE_SEARCH_KEY, rememberedSearch } from '#services/remembered_searches'

/*
| The staff Resource Library: the list, uploads, a resource's page (details,
| who has it, the share picker) and its details. Archiving lives in
| ResourceArchivesController, the staff download in ResourceFilesController,
| sharing in ResourceSharesController, categories in ResourceCategoriesController.
*/
export default class ResourceLibraryController {
  async index({ request, view, htmx }: HttpContext) {
    // A hand-edited query string falls back to the defaults rather than failing.
    const [error, query] = await request.tryValidateUsing(resourceListValidator, { data: request.qs() })
    const { page = 1, category, archived = 'active' } = error ? {} : query
    const filters: LibraryFilters = {
      category: category === 'none' ? 'none' : category ? Number(category) : undefined,
      archived,
    }

    const resources = await Resource.query()
      .withScopes((scopes) => scopes.matching(filters))
      .withScopes((scopes) => scopes.withLiveShareCount())
      .preload('category')
      .orderBy('title')
      .orderBy('id')
      .paginate(page, resourceLibrary.perPage)
    const chosen = { category: category ?? '', archived }
    resources.baseUrl(urlFor('staff.resource_library.index')).queryString(chosen)

    const data = {
      resources,
      chosen,
      categories: await ResourceCategory.query().withScopes((scopes) => scopes.inOrder()),
    }
    return view.render(`pages/staff/resource_library/${htmx.partial ? '_list' : 'index'}`, data)
  }

  async create({ view }: HttpContext) {
    return view.render('pages/staff/resource_library/create', {
      categories: await ResourceCategory.query().withScopes((scopes) => scopes.inOrder()),
      allowedTypes: Object.values(resourceLibrary.allowedTypes),
      maxUploadBytes: resourceLibrary.maxUploadBytes,
    })
  }

  async store(ctx: HttpContext) {
    const { request, response, session, auth } = ctx
    const file = request.file('file', { size: resourceLibrary.maxUploadBytes })

    try {
      const staff = auth.use('staff').getUserOrFail()
      // Both checks run, so every problem of the form shows at once.
      const [error, details] = await request.tryValidateUsing(resourceDetailsValidator)
      const checked = await checkUpload(file)
      if (!checked.accepted) {
        session.flashValidationErrors(withFieldError(error ?? null, 'file', checked.problem, 'file'))
        return response.redirect().toRoute('staff.resource_library.create')
      }
      if (error) {
        session.flashValidationErrors(error)
        return response.redirect().toRoute('staff.resource_library.create')
      }

      const resource = await storeUpload(checked.upload, (stored) =>
        Resource.create({
          title: details.title,
          description: details.description ?? null,
          categoryId: details.categoryId ?? null,
          ...stored,
          uploadedById: staff.id,
        })
      )
      await audit(ctx, {
        action: 'staff.resource.uploaded',
        actorKind: 'staff',
        actorId: staff.id,
        detail: { resourceId: resource.id, mimeType: resource.mimeType, sizeBytes: resource.sizeBytes },
      })
      session.flash('success', `“${resource.title}” is in the library. You can share it with clients below.`)
      return response.redirect().toRoute('staff.resource_library.show', { id: resource.id })
    } finally {
      // Every file of the request, refused or not, allowed or not.
      await discardTemporaryFiles(Object.values(request.allFiles()).flat())
    }
  }

  async show({ params, session, view, htmx }: HttpContext) {
    const resource = await Resource.query().where('id', params.id).preload('category').preload('uploadedBy').firstOrFail()

    const searched = rememberedSearch(session, SHARE_SEARCH_KEY, resource.id) ?? ''
    const picker = {
      searched,
      // One more than shown tells whether the search should be narrowed.
      candidates: searched ? await resource.shareCandidates(searched, resourceLibrary.pickerLimit + 1) : [],
      limit: resourceLibrary.pickerLimit,
    }
    if (htmx.partial) return view.render('pages/staff/resource_library/_share_picker', { resource, picker })

    const shares = await ResourceShare.query()
      .withScopes((scopes) => scopes.forResource(resource.id))
      .withScopes((scopes) => scopes.live())
      .withScopes((scopes) => scopes.byClientName())
      .preload('client')
      .preload('sharedBy')
    return view.render('pages/staff/resource_library/show', {
      resource,
      shares,
      picker,
      categories: await ResourceCategory.query().withScopes((scopes) => scopes.inOrder()),
    })
  }

  async update(ctx: HttpContext) {
    const { params, request, response, session, auth } = ctx
    const resource = await Resource.findOrFail(params.id)
    const [error, details] = await request.tryValidateUsing(resourceDetailsValidator)
    if (error) {
      session.flashValidationErrors(error)
      return response.redirect().toRoute('staff.resource_library.show', { id: resource.id })
    }

    resource.merge({
      title: details.title,
      description: details.description ?? null,
      categoryId: details.categoryId ?? null,
    })
    const changed = Object.keys(resource.$dirty)
    if (changed.length) {
      await resource.save()
      await audit(ctx, {
        action: 'staff.resource.updated',
        actorKind: 'staff',
        actorId: auth.use('staff').getUserOrFail().id,
        detail: { resourceId: resource.id, fields: changed.sort().join(',') },
      })
    }
    session.flash('success', 'The details are saved.')
    return response.redirect().toRoute('staff.resource_library.show', { id: resource.id })
  }
}
