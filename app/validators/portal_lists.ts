import vine from '@vinejs/vine'

/** Query string of the appointments list: which tab, which page. */
export const appointmentListValidator = vine.create({
  tab: vine.enum(['upcoming', 'past']).optional(),
  page: vine.number().withoutDecimals().min(1).max(10_000).optional(),
})

/** The guardian's choice of whose information to see. */
export const switchClientValidator = vine.create({
  clientId: vine.number().withoutDecimals().positive(),
})
