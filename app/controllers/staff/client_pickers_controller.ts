import type { HttpContext } from '@adonisjs/core/http'
import { clientPickerSearchValidator } from '#validators/client_picker'
import { audit } from '#services/audit'
import {
  PICKER_RULES,
  SEARCH_BUDGET_SPENT,
  mayRunClientSearch,
  rememberPickerSearch,
  searchPickable,
} from '#pages/staff/client_picker'

const RESULTS_VIEW = 'components/staff/client_picker_results'

/*
| The client picker's search (pages/staff/client_picker.ts). With htmx it
| answers with the list of matches alone; without JavaScript it keeps the
| term in the session and sends the browser back to the form's page, which
| lists them. Either way the term stays out of every URL and of the audit
| trail (which records how many matched).
*/
export default class ClientPickersController {
  async search(ctx: HttpContext) {
    const { request, response, session, view, htmx, auth } = ctx
    const staff = auth.use('staff').getUserOrFail()
    const [invalid, input] = await request.tryValidateUsing(clientPickerSearchValidator)
    if (invalid) {
      if (htmx.request) {
        return view.render(RESULTS_VIEW, { name: 'clientId', picker: null, problem: invalid.messages[0]?.message })
      }
      session.flashValidationErrors(invalid)
      return response.redirect().back()
    }
    // The form's own area decides: a clinician books, but does not invite.
    await ctx.bouncer.authorize('openArea', PICKER_RULES[input.purpose].area)

    const rules = PICKER_RULES[input.purpose]
    const back = input.returnTo && rules.returnPath.test(input.returnTo) ? input.returnTo : rules.fallbackPath
    if (!(await mayRunClientSearch(staff.id))) {
      if (htmx.request) return view.render(RESULTS_VIEW, { name: 'clientId', picker: null, problem: SEARCH_BUDGET_SPENT })
      response.status(429)
      return view.render('pages/errors/too_many_requests')
    }

    const term = input.term ?? ''
    rememberPickerSearch(session, input.purpose, term || undefined)
    const found = term ? await searchPickable(staff, input.purpose, term) : { clients: [], more: false }
    if (term) {
      await audit(ctx, {
        action: 'staff.clients.searched',
        actorKind: 'staff',
        actorId: staff.id,
        detail: { form: input.purpose, resultCount: found.clients.length },
      })
    }

    if (htmx.request) {
      return view.render(RESULTS_VIEW, {
        name: 'clientId',
        picker: { purpose: input.purpose, searched: term, clients: found.clients, more: found.more, chosen: null },
      })
    }
    return response.redirect(`${back}#clientId-picker`)
  }
}
