import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
| Disables a portal account from the shell and ends its open sessions, as
| Portal Settings does:
|   node ace portal:disable --email alex@example.com
*/
export default class PortalDisable extends BaseCommand {
  static commandName = 'portal:disable'
  static description = 'Disable a portal account and end every open session of it'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Sign-in email of the portal account' })
  declare email: string

  async run() {
    const { disableAccountValidator } = await import('#validators/portal_settings')
    const { default: ClientUser } = await import('#models/client_user')
    const { disablePortalAccount } = await import('#actions/portal_accounts/disable_portal_account')
    const { PortalAccountProblem } = await import('#actions/portal_accounts/portal_account_problem')
    const { SYSTEM_ACTOR } = await import('#support/actor')

    const [invalid, input] = await disableAccountValidator.tryValidate({ email: this.email })
    if (invalid) {
      for (const { message } of invalid.messages as { message: string }[]) this.logger.error(`--email: ${message}`)
      return this.fail()
    }
    const account = await ClientUser.findBy('email', input.email)
    if (!account) {
      this.logger.error(`--email: no portal account uses ${input.email}.`)
      return this.fail()
    }
    try {
      await disablePortalAccount(account.id, SYSTEM_ACTOR)
      this.logger.success(`Portal account #${account.id} is disabled; its open sessions have ended.`)
    } catch (error) {
      if (!(error instanceof PortalAccountProblem)) throw error
      this.logger.error(error.message)
      return this.fail()
    }
  }

  private fail() {
    this.logger.error('Nothing was changed.')
    this.exitCode = 1
  }
}
