import vine from '@vinejs/vine'
import type { HttpContext } from '@adonisjs/core/http'
import type { MessagesProviderContact } from '@vinejs/vine/types'
import { portalMessages } from '#validators/portal_messages'
import { DAY_PARTS, DECLINE_MESSAGE_MAX, REQUEST_MODALITIES, REQUEST_NOTE_MAX, WEEKDAYS } from '#support/request_preferences'

const MAX_ID = Number.MAX_SAFE_INTEGER

/*
| A client's request (portal). Ids (the appointment to move, the provider)
| are only shapes here: whether they are this client's is decided through
| the PortalContext (askForAppointment), so another client's id is refused
| like an unknown one. Never a client id from the form.
*/
export const askForAppointmentValidator = vine.create({
  /** Reschedule: the appointment to move. */
  appointmentId: vine.number().withoutDecimals().positive().max(MAX_ID).optional(),
  days: vine.array(vine.enum(WEEKDAYS)).minLength(1).distinct(),
  parts: vine.array(vine.enum(DAY_PARTS)).minLength(1).distinct(),
  /** Empty: anyone. */
  providerId: vine.number().withoutDecimals().positive().max(MAX_ID).optional(),
  modality: vine.enum(REQUEST_MODALITIES),
  note: vine.string().trim().maxLength(REQUEST_NOTE_MAX).optional(),
})

/** Staff's reply to a request they decline: shown to the client in the portal only. */
export const declineRequestValidator = vine.create({
  message: vine.string().trim().minLength(1).maxLength(DECLINE_MESSAGE_MAX),
})

/**
 * The request form's errors in the page's language: this form's own words
 * (requests.validation.messages.<field>.<rule>, in resources/lang/<locale>/requests.json),
 * else the portal's shared ones.
 */
export function requestMessages(ctx: HttpContext): MessagesProviderContact {
  const shared = portalMessages(ctx)
  return {
    getMessage(defaultMessage, rule, field, meta) {
      const path = String(field.wildCardPath).replace(/\.\*$/, '')
      const key = `requests.validation.messages.${path}.${rule}`
      return ctx.i18n.resolveIdentifier(key)
        ? ctx.i18n.formatRawMessage(ctx.i18n.resolveIdentifier(key)!.message, meta ?? {})
        : shared.getMessage(defaultMessage, rule, field, meta)
    },
  }
}

/** The staff inbox's page number (?page=); anything else is not a page of it. */
export const requestInboxValidator = vine.create({
  page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
})
