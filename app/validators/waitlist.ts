import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { DAY_PARTS, WEEKDAYS } from '#support/request_preferences'

/*
| Joining the waitlist, from the portal or by staff for a client: optional
| limits. No day chosen means every day, no part chosen every part of the
| day. The appointment comes from the URL and is checked (through the
| PortalContext, or as visible to the staff member), never a client id
| from the form.
*/
export const joinWaitlistValidator = vine.create({
  days: vine.array(vine.enum(WEEKDAYS)).distinct().optional(),
  parts: vine.array(vine.enum(DAY_PARTS)).distinct().optional(),
})

/** The same validation's words on the staff appointment page (staff pages stay English; the portal's are in its catalogs). */
export const staffWaitlistMessages = new SimpleMessagesProvider({
  'days.array': 'Please choose days from the list.',
  'days.distinct': 'Please choose days from the list.',
  'days.*.enum': 'Please choose days from the list.',
  'parts.array': 'Please choose times of day from the list.',
  'parts.distinct': 'Please choose times of day from the list.',
  'parts.*.enum': 'Please choose times of day from the list.',
})
