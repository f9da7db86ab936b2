import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
| Deletes what can no longer be used and is no longer needed:
| - one-time tokens (password resets, email changes) that expired unused,
| - invitations that expired without ever being accepted,
| - emailed appointment action links (DESIGN §17), used or not: each
|   expires at its appointment's start, after which it can do nothing,
| all once they are older than --days (default 30), so staff can still
| see recent expired invitations in Portal Settings. The audit trail keeps
| what happened.
|   node ace tokens:purge [--days 30]
*/
export default class TokensPurge extends BaseCommand {
  static commandName = 'tokens:purge'
  static description = 'Delete expired unused tokens, expired never-accepted invitations and expired appointment action links'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Only what expired more than this many days ago (default 30)' })
  declare days?: string

  async run() {
    const { purgeTokensValidator } = await import('#validators/portal_settings')
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { auditBy } = await import('#services/audit')
    const { SYSTEM_ACTOR } = await import('#support/actor')

    const [invalid, input] = await purgeTokensValidator.tryValidate({ days: this.days })
    if (invalid) {
      for (const { message } of invalid.messages as { message: string }[]) this.logger.error(`--days: ${message}`)
      this.logger.error('Nothing was deleted.')
      this.exitCode = 1
      return
    }
    const days = input.days ?? 30

    const machinery = db.connection('machinery')
    const cutoff = machinery.raw(`now() - make_interval(days => ?)`, [days])
    const { tokens, invitations, actionLinks, mails } = await machinery.transaction(async (trx) => {
      const deletedTokens = await trx
        .from('one_time_tokens')
        .whereNull('used_at')
        .where('expires_at', '<', cutoff)
        .delete()
      const deletedInvitations = await trx
        .from('portal_invitations')
        .whereNull('accepted_at')
        .where('expires_at', '<', cutoff)
        .delete()
      const deletedActionLinks = await trx.from('appointment_action_links').where('expires_at', '<', cutoff).delete()
      // A delivered (or finally failed) reminder or notice keeps no body once its links have expired (DESIGN §17).
      const purgedMails = await trx
        .from('mail_messages')
        .whereIn('status', ['sent', 'failed'])
        .whereRaw(`(data->>'linksExpireAt')::timestamptz < now()`)
        .whereRaw(`data->>'purged' is null`)
        .update({ data: JSON.stringify({ purged: true }) })
      return {
        tokens: Number(deletedTokens),
        invitations: Number(deletedInvitations),
        actionLinks: Number(deletedActionLinks),
        mails: Number(purgedMails),
      }
    })

    await auditBy(SYSTEM_ACTOR, {
      action: 'operator.tokens.purged',
      actorKind: 'system',
      detail: { tokens, invitations, actionLinks, mails, days },
    })
    this.logger.success(
      `Deleted ${tokens} expired one-time token(s), ${invitations} expired invitation(s) and ${actionLinks} expired appointment action link(s) older than ${days} days; emptied ${mails} delivered mail(s) whose links had expired.`
    )
  }
}
