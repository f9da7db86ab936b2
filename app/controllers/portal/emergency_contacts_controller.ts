import type { HttpContext } from '@adonisjs/core/http'
import type EmergencyContact from '#models/emergency_contact'
import { portalCallingOrderOptions } from '#support/portal_choices'
import { saveEmergencyContactValidator } from '#validators/portal_account'
import { portalMessages } from '#validators/portal_messages'
import { auditPortal } from '#services/audit'

/*
| The active client's emergency contacts. Every lookup goes through the
| PortalContext (the request's RLS transaction and forClient), so another client's contact id
| answers 404 and changes nothing.
*/
export default class EmergencyContactsController {
  async store(ctx: HttpContext) {
    const { request, response, session, portal } = ctx
    const details = await request.validateUsing(saveEmergencyContactValidator, {
      meta: { storedPhones: {} },
      messagesProvider: portalMessages(ctx),
    })

    const contact = await portal.create('emergencyContacts', { ...details, email: details.email ?? null })
    await auditContact(ctx, 'portal.emergency_contact.added', contact)

    session.flash('success', ctx.i18n.t('portal.emergency_contacts.added', { name: contact.name }))
    return response.redirect().toRoute('portal.account.show')
  }

  async edit({ view, params, portal, i18n }: HttpContext) {
    const contact = await contactsOf(portal).where('id', params.id).firstOrFail()
    const allContacts = await contactsOf(portal).select('id')
    return view.render('pages/portal/account/edit_emergency_contact', {
      contact,
      callingOrderOptions: portalCallingOrderOptions(i18n, Math.max(allContacts.length, contact.priority)),
    })
  }

  async update(ctx: HttpContext) {
    const { request, response, session, params, portal } = ctx
    // Load first: a foreign or unknown id is a 404 whatever the form holds.
    const contact = await contactsOf(portal).where('id', params.id).firstOrFail()
    const details = await request.validateUsing(saveEmergencyContactValidator, {
      meta: { storedPhones: { phone: contact.phone } },
      messagesProvider: portalMessages(ctx),
    })

    contact.merge({ ...details, email: details.email ?? null })
    if (contact.$isDirty) {
      await contact.save()
      await auditContact(ctx, 'portal.emergency_contact.updated', contact)
    }

    session.flash('success', ctx.i18n.t('portal.emergency_contacts.updated', { name: contact.name }))
    return response.redirect().toRoute('portal.account.show')
  }

  /** "Remove Casey?": a page of its own, so the question is asked with or without JavaScript. */
  async confirmDestroy({ view, params, portal }: HttpContext) {
    const contact = await contactsOf(portal).where('id', params.id).firstOrFail()
    const others = await contactsOf(portal).whereNot('id', contact.id).count('* as total').first()
    return view.render('pages/portal/account/remove_emergency_contact', {
      contact,
      isLastContact: Number(others?.$extras.total ?? 0) === 0,
    })
  }

  async destroy(ctx: HttpContext) {
    const { response, session, params, portal } = ctx
    // Lock all of the client's contacts, in one order, so two removals at
    // once wait for each other and cannot both remove "the other one".
    const contacts = await contactsOf(portal).orderBy('id').forUpdate()
    const contact = await contactsOf(portal).where('id', params.id).firstOrFail()

    if (contacts.length <= 1) {
      session.flash('errors', {
        emergencyContacts: ctx.i18n.t('portal.emergency_contacts.still_listed', { name: contact.name }),
      })
      return response.redirect().toRoute('portal.account.show')
    }

    await contact.delete()
    await auditContact(ctx, 'portal.emergency_contact.removed', contact)

    session.flash('success', ctx.i18n.t('portal.emergency_contacts.removed', { name: contact.name }))
    return response.redirect().toRoute('portal.account.show')
  }
}

function contactsOf(portal: HttpContext['portal']) {
  return portal.query('emergencyContacts')
}

function auditContact(ctx: HttpContext, action: string, contact: EmergencyContact) {
  return auditPortal(ctx, action, { contactId: contact.id })
}
