import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import Resource from '#models/resource'
import { clientSearchValidator } from '#validators/resource_library'
import { SHARE_SEARCH_KEY, rememberSearch } from '#services/remembered_searches'
import { SEARCH_BUDGET_SPENT, mayRunClientSearch } from '#pages/staff/client_picker'

/*
| The share picker's client search on a resource's page: posted and kept in
| the session for that resource, never in a URL (a client's name next to a
| handout title is health information). The resource's page then lists the
| matches; htmx follows the redirect and takes the results alone. Over the
| search budget, htmx gets the results region with a calm message (as the
| client picker: htmx swaps no 4xx), a plain submit the 429 page.
*/
export default class ShareSearchesController {
  async store({ params, request, response, session, auth, view, htmx }: HttpContext) {
    const resource = await Resource.findOrFail(params.id)
    // The same budget as the client pickers: a type-ahead is not a way to list the practice.
    if (!(await mayRunClientSearch(auth.use('staff').getUserOrFail().id))) {
      if (htmx.request) return view.render('pages/staff/resource_library/_share_results_busy', { problem: SEARCH_BUDGET_SPENT })
      response.status(429)
      return view.render('pages/errors/too_many_requests')
    }
    const [error, search] = await request.tryValidateUsing(clientSearchValidator)
    rememberSearch(session, SHARE_SEARCH_KEY, error ? undefined : search.q, resource.id)
    return response.redirect(`${urlFor('staff.resource_library.show', { id: resource.id })}#share`)
  }
}
