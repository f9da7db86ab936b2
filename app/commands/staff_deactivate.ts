import StaffAccountCommand from './_staff_account_command.js'

/*
| Deactivates a staff account from the shell and ends its open sessions,
| with the rules of /staff (the last active ceo stays):
|   node ace staff:deactivate --email someone@practice.example
*/
export default class StaffDeactivate extends StaffAccountCommand {
  static commandName = 'staff:deactivate'
  static description = 'Deactivate a staff account and end every open session of it'

  async run() {
    const { deactivateStaff } = await import('#actions/staff_accounts/deactivate_staff')
    const { StaffAccountProblem } = await import('#actions/staff_accounts/staff_account_rules')
    const { SYSTEM_ACTOR } = await import('#support/actor')
    const staff = await this.staffFromEmailFlag()
    if (!staff) return
    try {
      await deactivateStaff(staff.id, SYSTEM_ACTOR)
      this.logger.success(`Staff account #${staff.id} is deactivated; its open sessions have ended.`)
    } catch (error) {
      if (!(error instanceof StaffAccountProblem)) throw error
      this.logger.error(error.message)
      return this.fail()
    }
  }
}
