import vine from '@vinejs/vine'
import { STAFF_ROLES } from '#models/staff_user'
import { newPassword } from '#validators/password'

const email = () => vine.string().trim().toLowerCase().email().maxLength(254)

/** A staff account created by an operator (`node ace staff:create`). */
export const createStaffValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(120),
  email: email().unique({ table: 'staff_users', column: 'email' }),
  role: vine.enum(STAFF_ROLES),
  password: newPassword(),
})
