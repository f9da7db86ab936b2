import vine from '@vinejs/vine'

export const PASSWORD_RULE_TEXT = 'Use at least 12 characters. A few unrelated words work well.'

/** A new password, on either side: at least 12 characters. */
export const newPassword = () => vine.string().minLength(12).maxLength(256)
