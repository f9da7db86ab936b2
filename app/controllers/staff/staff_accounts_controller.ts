import type { HttpContext } from '@adonisjs/core/http'
import { urlFor } from '@adonisjs/core/services/url_builder'
import StaffUser, { ROLE_LABELS, STAFF_ROLES, type StaffRole } from '#models/staff_user'
import { StaffAccountProblem, STAFF_INVITATION_HOURS } from '#actions/staff_accounts/staff_account_rules'
import { changeStaffRole } from '#actions/staff_accounts/change_staff_role'
import { deactivateStaff } from '#actions/staff_accounts/deactivate_staff'
import { inviteStaff } from '#actions/staff_accounts/invite_staff'
import { reactivateStaff } from '#actions/staff_accounts/reactivate_staff'
import { resendStaffInvitation } from '#actions/staff_accounts/resend_staff_invitation'
import { actorOf } from '#services/request_actor'
import { inviteStaffValidator, staffRoleValidator } from '#validators/staff_accounts'
import { errors } from '@vinejs/vine'

/*
| Staff accounts at /staff (ceo and admin): the list, inviting, roles,
| deactivation. The rules live in app/actions/staff_accounts/, inside
| the transaction; the page only hides buttons that would be refused.
*/
export default class StaffAccountsController {
  async index({ view, auth }: HttpContext) {
    const me = auth.use('staff').user!
    const staff = await StaffUser.query().orderBy('isActive', 'desc').orderBy('name', 'asc').orderBy('id', 'asc')
    const assignable: StaffRole[] = me.role === 'ceo' ? [...STAFF_ROLES] : STAFF_ROLES.filter((role) => role !== 'ceo')
    return view.render('pages/staff/accounts/index', {
      staff,
      me,
      roleLabels: ROLE_LABELS,
      roleOptions: assignable.map((role) => ({ value: role, label: ROLE_LABELS[role] })),
      expiryHours: STAFF_INVITATION_HOURS,
      mayManage: (other: StaffUser) => other.id !== me.id && (me.role === 'ceo' || other.role !== 'ceo'),
    })
  }

  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    const [invalid, input] = await request.tryValidateUsing(inviteStaffValidator)
    if (invalid) {
      session.flashValidationErrors(invalid)
      return response.redirect(`${urlFor('staff.accounts.index')}#invite`)
    }
    try {
      const staff = await inviteStaff(input, actorOf(ctx))
      session.flash('success', `The invitation is on its way to ${staff.email}.`)
    } catch (error) {
      if (!(error instanceof StaffAccountProblem)) throw error
      session.flashValidationErrors(
        new errors.E_VALIDATION_ERROR([{ field: error.field === 'account' ? 'email' : error.field, message: error.message, rule: 'staff' }])
      )
    }
    return response.redirect(`${urlFor('staff.accounts.index')}#invite`)
  }

  async updateRole(ctx: HttpContext) {
    const [invalid, input] = await ctx.request.tryValidateUsing(staffRoleValidator)
    if (invalid) return refuse(ctx, 'Please choose one of the roles.')
    return act(ctx, async () => {
      const { changed, roleLabel } = await changeStaffRole(Number(ctx.params.id), input.role, actorOf(ctx))
      return changed ? `The role is now ${roleLabel}.` : `The role was already ${roleLabel}.`
    })
  }

  async deactivate(ctx: HttpContext) {
    return act(ctx, async () => {
      const staff = await deactivateStaff(Number(ctx.params.id), actorOf(ctx))
      return `${staff.name} is deactivated and signed out everywhere. Their appointments, notes and history stay as they are.`
    })
  }

  async reactivate(ctx: HttpContext) {
    return act(ctx, async () => {
      const staff = await reactivateStaff(Number(ctx.params.id), actorOf(ctx))
      return `${staff.name} can sign in again.`
    })
  }

  async resend(ctx: HttpContext) {
    return act(ctx, async () => {
      await resendStaffInvitation(Number(ctx.params.id), actorOf(ctx))
      return 'A new link is on its way. The earlier link no longer works.'
    })
  }
}

async function act(ctx: HttpContext, action: () => Promise<string>) {
  try {
    ctx.session.flash('success', await action())
  } catch (error) {
    if (!(error instanceof StaffAccountProblem)) throw error
    return refuse(ctx, error.message)
  }
  return ctx.response.redirect(`${urlFor('staff.accounts.index')}#accounts`)
}

/** A refused change: the list shows why at its top (and nothing changed). */
function refuse(ctx: HttpContext, message: string) {
  ctx.session.flash('errors', { staffAccount: message })
  return ctx.response.redirect(`${urlFor('staff.accounts.index')}#accounts`)
}
