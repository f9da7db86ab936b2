import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
| Deactivates a staff account from the shell and ends its open sessions,
| with the rules of /staff (the last active ceo stays):
|   node ace staff:deactivate --email someone@practice.example
*/
export default class StaffDeactivate extends BaseCommand {
  static commandName = 'staff:deactivate'
  static description = 'Deactivate a staff account and end every open session of it'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Sign-in email of the staff account' })
  declare email: string

  async run() {
    const { staffEmailFlagValidator } = await import('#validators/staff_accounts')
    const { default: StaffUser } = await import('#models/staff_user')
    const { deactivateStaff, StaffAccountProblem } = await import('#services/staff_accounts')

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
    try {
      await deactivateStaff(staff.id, { kind: 'system' })
      this.logger.success(`Staff account #${staff.id} is deactivated; its open sessions have ended.`)
    } catch (error) {
      if (!(error instanceof StaffAccountProblem)) throw error
      this.logger.error(error.message)
      return this.fail()
    }
  }

  private fail() {
    this.logger.error('Nothing was changed.')
    this.exitCode = 1
  }
}
