import { BasePolicy } from '@adonisjs/bouncer'
import type StaffUser from '#models/staff_user'
import type Client from '#models/client'
import { ALL_CLIENTS_ROLES } from '#models/client'
import { mayOpen } from '#abilities/areas'

/*
| Who may do what with client records (DESIGN §2).
| - ceo, admin, support staff: every client.
| - clinician: view and update their own caseload only. Controllers load
|   clients through Client.visibleTo(staff) first, so another client is a
|   404 for them (not even a 403 that confirms the record exists); the
|   caseload checks here are the second line.
| - The reminder preference and contact rules: ceo, admin, support staff.
| - Creating clients and choosing a client's primary clinician is intake
|   work for the front office and administrators: a clinician's caseload
|   is assigned to them, not self-assigned, so clinicians may do neither.
*/
export default class ClientPolicy extends BasePolicy {
  viewAny(staff: StaffUser) {
    return mayOpen(staff, 'clients')
  }

  async view(staff: StaffUser, client: Client) {
    if (!mayOpen(staff, 'clients')) return false
    if (ALL_CLIENTS_ROLES.includes(staff.role)) return true
    return staff.role === 'clinician' && (await client.isVisibleTo(staff))
  }

  create(staff: StaffUser) {
    return mayOpen(staff, 'clients') && ALL_CLIENTS_ROLES.includes(staff.role)
  }

  update(staff: StaffUser, client: Client) {
    return this.view(staff, client)
  }

  /**
   * The reminder preference and contact rules (DESIGN §15): the front office
   * and administrators. A clinician sees their caseload's, not edits them.
   */
  async editContactRules(staff: StaffUser, client: Client) {
    return ALL_CLIENTS_ROLES.includes(staff.role) && (await this.view(staff, client))
  }

  assignClinician(staff: StaffUser) {
    return this.create(staff)
  }
}
