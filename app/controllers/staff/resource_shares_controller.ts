import type { HttpContext } from '@adonisjs/core/http'
import Client from '#models/client'
import Resource from '#models/resource'
import ResourceShare from '#models/resource_share'
import { shareResourceValidator } from '#validators/resource_library'
import { fieldError } from '#validators/field_error'
import { audit } from '#services/audit'

/*
| Who has a resource: sharing with clients ticked in the picker, and
| unsharing one client. Audit rows carry ids only (one per client, so the
| audit log filtered by client shows it).
*/
export default class ResourceSharesController {
  async store(ctx: HttpContext) {
    const { params, request, response, session, auth } = ctx
    const staff = auth.use('staff').getUserOrFail()
    const resource = await Resource.findOrFail(params.id)
    // The picker's search is remembered in the session, so its list shows again.
    const backToPicker = () => response.redirect().toRoute('staff.resource_library.show', { id: resource.id })

    const [error, chosen] = await request.tryValidateUsing(shareResourceValidator)
    if (error) {
      session.flashValidationErrors(error)
      return backToPicker()
    }
    if (resource.isArchived) {
      session.flashValidationErrors(
        fieldError('clientIds', 'This resource is archived. Unarchive it before sharing it.', 'archived')
      )
      return backToPicker()
    }

    const requested = [...new Set(chosen.clientIds)]
    const gained = await ResourceShare.shareWith(resource.id, requested, staff.id)
    for (const clientId of gained) {
      await audit(ctx, {
        action: 'staff.resource.shared',
        actorKind: 'staff',
        actorId: staff.id,
        clientId,
        detail: { resourceId: resource.id, clientId, clientCount: gained.length },
      })
    }

    const unchanged = requested.length - gained.length
    session.flash(
      'success',
      [
        gained.length ? `Shared with ${clients(gained.length)}.` : 'Nothing changed.',
        unchanged
          ? `${clients(unchanged, true)} already had it or could not be given it (only active clients can).`
          : '',
      ]
        .filter(Boolean)
        .join(' ')
    )
    return response.redirect().toRoute('staff.resource_library.show', { id: resource.id })
  }

  /** Unshare: the share row stays, with who ended it and when. */
  async destroy(ctx: HttpContext) {
    const { params, response, session, auth } = ctx
    const staff = auth.use('staff').getUserOrFail()
    const resource = await Resource.findOrFail(params.id)
    const client = await Client.findOrFail(params.clientId)

    if (await ResourceShare.revoke(resource.id, client.id, staff.id)) {
      await audit(ctx, {
        action: 'staff.resource.unshared',
        actorKind: 'staff',
        actorId: staff.id,
        clientId: client.id,
        detail: { resourceId: resource.id, clientId: client.id },
      })
      session.flash('success', `${client.fullName} no longer has “${resource.title}”.`)
    } else {
      session.flash('notice', `${client.fullName} did not have “${resource.title}”, so nothing changed.`)
    }
    return response.redirect().toRoute('staff.resource_library.show', { id: resource.id })
  }
}

function clients(count: number, capital = false) {
  const words = count === 1 ? 'one client' : `${count} clients`
  return capital ? words.charAt(0).toUpperCase() + words.slice(1) : words
}
