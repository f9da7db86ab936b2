import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import type StaffUser from '#models/staff_user'

/*
| What the operator commands on one staff account share: the --email flag,
| finding the account by it, and failing calmly (exit 1, "Nothing was
| changed."). Not a command itself: ace skips files starting with "_".
*/
export default abstract class StaffAccountCommand extends BaseCommand {
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Sign-in email of the staff account' })
  declare email: string

  /** The account the --email flag names, or null once the problem is reported. */
  protected async staffFromEmailFlag(): Promise<StaffUser | null> {
    const { staffEmailFlagValidator } = await import('#validators/staff_accounts')
    const { default: StaffUserModel } = await import('#models/staff_user')

    const [invalid, input] = await staffEmailFlagValidator.tryValidate({ email: this.email })
    if (invalid) {
      for (const { message } of invalid.messages as { message: string }[]) this.logger.error(`--email: ${message}`)
      this.fail()
      return null
    }
    const staff = await StaffUserModel.findBy('email', input.email)
    if (!staff) {
      this.logger.error(`--email: no staff account uses ${input.email}.`)
      this.fail()
    }
    return staff
  }

  protected fail() {
    this.logger.error('Nothing was changed.')
    this.exitCode = 1
  }
}
