import vine from '@vinejs/vine'

/** Sign-in on either side. Lengths are capped so a huge body costs nothing. */
export const signInValidator = vine.create({
  email: vine.string().trim().toLowerCase().email().maxLength(254),
  password: vine.string().maxLength(256),
})
