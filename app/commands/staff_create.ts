import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { errors } from '@vinejs/vine'
import { STAFF_ROLES } from '#models/staff_user'

/*
| Creates a staff account from the shell, e.g. the first practice owner:
|   node ace staff:create --email owner@practice.test --name "Maya Okafor" --role ceo
| The password is asked for, or read from standard input with --password-stdin.
*/
export default class StaffCreate extends BaseCommand {
  static commandName = 'staff:create'
  static description = 'Create a staff account (ceo, admin, support_staff or clinician)'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Email address (the sign-in name)' })
  declare email: string

  @flags.string({ description: 'Full name as staff and clients will see it' })
  declare name: string

  @flags.string({ description: `Role: ${STAFF_ROLES.join(', ')}` })
  declare role: string

  @flags.boolean({ description: 'Read the password from standard input instead of prompting' })
  declare passwordStdin: boolean

  async run() {
    const { createStaffValidator } = await import('#validators/staff')
    const { default: StaffUser } = await import('#models/staff_user')
    const { auditBy } = await import('#services/audit')
    const { SYSTEM_ACTOR } = await import('#support/actor')

    const password = this.passwordStdin ? await readStdin() : await this.askPassword()
    if (password === null) {
      this.logger.error('The two passwords are not the same. Nothing was created.')
      this.exitCode = 1
      return
    }
    try {
      const data = await createStaffValidator.validate({
        email: this.email,
        name: this.name,
        role: this.role,
        password,
      })
      const staff = await StaffUser.create({ ...data, isActive: true })
      await auditBy(SYSTEM_ACTOR, {
        action: 'operator.staff.created',
        actorKind: 'system',
        detail: { staffId: staff.id, role: staff.role },
      })
      this.logger.success(`Created ${staff.role} account #${staff.id} for ${staff.email}`)
    } catch (error) {
      if (error instanceof errors.E_VALIDATION_ERROR) {
        for (const message of error.messages) this.logger.error(`${message.field}: ${message.message}`)
        this.exitCode = 1
        return
      }
      throw error
    }
  }

  private async askPassword() {
    const first = await this.prompt.secure('Password (at least 12 characters)')
    const second = await this.prompt.secure('Repeat the password')
    return first === second ? first : null
  }
}

async function readStdin() {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
}
