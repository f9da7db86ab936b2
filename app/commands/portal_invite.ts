import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { RELATIONSHIPS } from '#models/client_user_link'
import { PORTAL_LOCALES } from '#support/locales'

/*
| Invites someone to the portal from the shell, with the same rules as
| Portal Settings (app/actions/invitations/send_invitation.ts):
|   node ace portal:invite --client 42 --email alex@example.com
|   node ace portal:invite --client 7 --email parent@example.com --relationship parent --name "Jordan Lee"
|   node ace portal:invite --client 42 --email alex@example.com --language es
*/
export default class PortalInvite extends BaseCommand {
  static commandName = 'portal:invite'
  static description = 'Invite a client (or their guardian) to the client portal'
  static help = [
    'The invitation email is queued and sent by the mail worker.',
    'An authorized caregiver needs --consent: the adult client agreed to it.',
  ]
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Id of the client (an active client with a date of birth on file)' })
  declare client: string

  @flags.string({ description: 'Email address to send the invitation to' })
  declare email: string

  @flags.string({ description: `Who they are to the client: ${RELATIONSHIPS.join(', ')} (default self)` })
  declare relationship?: string

  @flags.string({ description: 'Name of the person invited (required unless --relationship self)' })
  declare name?: string

  @flags.boolean({ description: 'The adult client has consented (required for authorized_caregiver)' })
  declare consent?: boolean

  @flags.string({ description: `Language of the email and the account: ${PORTAL_LOCALES.join(', ')} (default the client's email language)` })
  declare language?: string

  async run() {
    const { sendInvitationValidator } = await import('#validators/portal_settings')
    const { sendInvitation } = await import('#actions/invitations/send_invitation')
    const { InvitationProblem } = await import('#actions/invitations/invitation_rules')
    const { SYSTEM_ACTOR } = await import('#support/actor')

    const [invalid, input] = await sendInvitationValidator.tryValidate({
      clientId: this.client,
      email: this.email,
      relationship: this.relationship ?? 'self',
      recipientName: this.name,
      consent: this.consent ?? false,
      language: this.language,
    })
    if (invalid) {
      for (const { field, message } of invalid.messages as { field: string; message: string }[]) {
        this.logger.error(`${flagName(field)}: ${message}`)
      }
      return this.fail()
    }
    try {
      const invitation = await sendInvitation(input, SYSTEM_ACTOR)
      this.logger.success(`Invitation #${invitation.id} for client #${invitation.clientId} is queued for ${invitation.email}.`)
    } catch (error) {
      if (!(error instanceof InvitationProblem)) throw error
      this.logger.error(`${flagName(error.field)}: ${error.message}`)
      return this.fail()
    }
  }

  private fail() {
    this.logger.error('Nothing was sent.')
    this.exitCode = 1
  }
}

/** The command-line name of a validated field. */
function flagName(field: string) {
  const flags: Record<string, string> = { clientId: '--client', recipientName: '--name', consent: '--consent' }
  return flags[field] ?? `--${field}`
}
