import StaffAccountCommand from './_staff_account_command.js'

/*
| Resets two-factor sign-in of a staff member who lost their phone (and
| their recovery codes): secret and codes removed, open sessions ended. A
| ceo or admin sets it up again right after their next password sign-in.
|   node ace staff:reset-2fa --email someone@practice.example
*/
export default class StaffResetTwoFactor extends StaffAccountCommand {
  static commandName = 'staff:reset-2fa'
  static description = 'Reset two-factor sign-in of a staff account (lost phone)'

  async run() {
    const { resetTwoFactor } = await import('#actions/two_factor/reset_two_factor')
    const { SYSTEM_ACTOR } = await import('#support/actor')
    const staff = await this.staffFromEmailFlag()
    if (!staff) return
    await resetTwoFactor(staff, SYSTEM_ACTOR)
    this.logger.success(
      `Two-factor sign-in of staff account #${staff.id} is reset; its open sessions have ended. ` +
        (['ceo', 'admin'].includes(staff.role)
          ? 'They set it up again after their next sign-in.'
          : 'They may set it up again from their account.')
    )
  }
}
