import { Exception } from '@adonisjs/core/exceptions'

/*
| The practice's scheduling mode is `view_only` (DESIGN §14): online
| cancelling, requests and the waitlist are off for everyone, and their
| routes answer the portal's ordinary 404 page, as a page that does not exist.
*/
export class SchedulingClosed extends Exception {
  static status = 404
  static code = 'E_SCHEDULING_CLOSED'
  static message = 'Client scheduling is off (view_only)'
}
