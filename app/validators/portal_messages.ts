import type { HttpContext } from '@adonisjs/core/http'

/*
| The portal's form errors, in the request's language (DESIGN §16), from
| resources/lang/<locale>/validator.json through @adonisjs/i18n's VineJS
| messages provider: for each problem the field's own message
| (`validator.portal.messages.<field>.<rule>`), else the rule's
| (`validator.portal.messages.<rule>`). Custom rules (phone, hardToGuess,
| currentPassword) are looked up by the rule name they report. Pass it to
| every portal `validateUsing`; the staff validators keep their own English
| providers.
*/
export function portalMessages(ctx: HttpContext) {
  return ctx.i18n.createMessagesProvider('validator.portal')
}

/** The sign-in form's (shared with staff, who keep VineJS's own English). */
export function portalSignInMessages(ctx: HttpContext) {
  return ctx.i18n.createMessagesProvider('validator.sign_in')
}
