import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
| Resets two-factor sign-in of a staff member who lost their phone (and
| their recovery codes): secret and codes removed, open sessions ended. A
| ceo or admin sets it up again right after their next password sign-in.
|   node ace staff:reset-2fa --email someone@practice.example
*/
export default class StaffResetTwoFactor extends BaseCommand {
  static commandName = 'staff:reset-2fa'
  static description = 'Reset two-factor sign-in of a staff account (lost phone)'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Sign-in email of the staff account' })
  declare email: string

  async run() {
    const { staffEmailFlagValidator } = await import('#validators/staff_accounts')
    const { default: StaffUser } = await import('#models/staff_user')
    const { resetTwoFactor } = await import('#services/two_factor')
    const { audit } = await import('#services/audit')

    const [invalid, input] = await staffEmailFlagValidator.tryValidate({ email: this.email })
    if (invalid) {
      for (const { message } of invalid.messages as { message: string }[]) this.logger.error(`--email: ${message}`)
      return this.fail()
    }
    const staff = await StaffUser.findBy('email', input.email)
    if (!staff) {
      this.logger.error(`--email: no staff account uses ${input.email}.`)
      return this.fail()
    }
    await resetTwoFactor(staff.id)
    await audit(null, {
      action: 'operator.staff.two_factor_reset',
      actorKind: 'system',
      detail: { staffId: staff.id, hadTwoFactor: staff.hasTwoFactor },
    })
    this.logger.success(
      `Two-factor sign-in of staff account #${staff.id} is reset; its open sessions have ended. ` +
        (['ceo', 'admin'].includes(staff.role)
          ? 'They set it up again after their next sign-in.'
          : 'They may set it up again from their account.')
    )
  }

  private fail() {
    this.logger.error('Nothing was changed.')
    this.exitCode = 1
  }
}
