import type { HttpContext } from '@adonisjs/core/http'
import Client from '#models/client'
import { updateContactRules } from '#actions/clients/update_contact_rules'
import { actorOf } from '#services/request_actor'
import { contactRulesValidator } from '#validators/client'

/*
| A client's reminder preference and contact rules, edited on the client's
| page by ceo, admin and support staff (DESIGN §15). Loaded through
| Client.visibleTo first: a client outside a clinician's caseload is a 404,
| a caseload client's rules are theirs to see, not to edit (403).
*/
export default class ClientContactRulesController {
  async update(ctx: HttpContext) {
    const { params, request, response, bouncer, session } = ctx
    const client = await Client.findVisibleOrFail(ctx.auth.use('staff').getUserOrFail(), params.id)
    await bouncer.with('ClientPolicy').authorize('editContactRules', client)
    const toSection = () => response.redirect().toPath(`/clients/${client.id}#contact-rules`)

    const [invalid, input] = await request.tryValidateUsing(contactRulesValidator)
    if (invalid) {
      session.flashValidationErrors(invalid)
      return toSection()
    }
    const changed = await updateContactRules(
      client.id,
      {
        reminderChannel: input.reminderChannel,
        reminderLeadHours: input.reminderLeadHours,
        consentEmail: input.consentEmail ?? false,
        consentSms: input.consentSms ?? false,
        consentDetailsInEmail: input.consentDetailsInEmail ?? false,
        voicemailAllowed: input.voicemailAllowed ?? false,
        discreetMode: input.discreetMode ?? false,
        contactNote: input.contactNote?.trim() || null,
      },
      actorOf(ctx)
    )
    session.flash('success', changed.length ? 'The contact rules are saved.' : 'Nothing was changed.')
    return toSection()
  }
}
