import vine from '@vinejs/vine'
import { PORTAL_LOCALES } from '#support/locales'
import { ACCESS_LEVELS } from '#models/client_user_link'

/** The account's own language, alone: for a guardian whose level does not include the client's preferences. */
export const accountLanguageValidator = vine.create({
  language: vine.enum(PORTAL_LOCALES),
})

/** An adult client's choice of level for one of their authorized caregivers. */
export const caregiverLevelValidator = vine.create({
  level: vine.enum(ACCESS_LEVELS),
})

/** Staff set a link's level on the client record; the reason is needed when a teen's parent link is widened. */
export const linkLevelValidator = vine.create({
  level: vine.enum(ACCESS_LEVELS),
  reason: vine.string().trim().maxLength(500).optional(),
})
