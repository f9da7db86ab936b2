import vine from '@vinejs/vine'
import { DAY_PARTS, WEEKDAYS } from '#support/request_preferences'

/*
| Joining the waitlist (portal): optional limits. No day chosen means every
| day, no part chosen every part of the day. The appointment comes from the
| URL and is checked through the PortalContext, never a client id from the form.
*/
export const joinWaitlistValidator = vine.create({
  days: vine.array(vine.enum(WEEKDAYS)).distinct().optional(),
  parts: vine.array(vine.enum(DAY_PARTS)).distinct().optional(),
})
