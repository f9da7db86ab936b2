import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { hostname } from 'node:os'
import { INSIGHTS_REFRESH_SECONDS } from '#support/insights_schedule'

/*
| The worker: runs the jobs of app/jobs — the mail delivery
| (app/jobs/deliver_mail.ts, which sends the mail app/services/mail_queue.ts
| queued) and, once a minute, the appointment reminders' due pass
| (app/jobs/send_reminders.ts), which queues the reminders that are due,
| every few seconds the waitlist pass (app/jobs/send_waitlist_offers.ts),
| which offers slots that cancellations freed, the rebuild of the
| insights rollup (app/jobs/refresh_insights.ts), and once an hour the end of
| parents' links at the child's 18th birthday
| (app/actions/family/end_parent_links_at_eighteen.ts).
|   node ace jobs:work               keeps polling (every second by default)
|   node ace jobs:work --once        sends the mail due now, then exits (no reminder pass:
|                                    `node ace reminders:send` does one)
| (Not `queue:work`: that name belongs to @adonisjs/queue.)
| Run as many as you like: they share the work without sending a mail
| twice. SIGINT or SIGTERM stops claiming, lets the batch in hand finish
| (each claimed mail is sent and marked, or put back to retry), then exits
| 0. A worker killed outright leaves its batch leased; the lease runs out
| and another worker sends it (at least once, same Message-ID).
| Every few seconds the worker records a heartbeat that /health reports.
*/
export default class JobsWork extends BaseCommand {
  static commandName = 'jobs:work'
  static description = 'Run the worker jobs: send queued mail (the durable mail queue in PostgreSQL) and queue due appointment reminders'
  static help = [
    'Claims due mail in batches and sends it through SMTP',
    '(in development without SMTP_HOST: into tmp/mail).',
    'Several workers may run at once.',
    'Ctrl+C or SIGTERM finishes the current batch, then stops.',
  ]
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.number({ description: 'Seconds between polls while nothing is due', default: 1 })
  declare interval: number

  @flags.number({ description: 'Mails claimed per batch (1 to 100)', default: 10 })
  declare batch: number

  @flags.number({ description: 'Seconds between appointment reminder passes', default: 60 })
  declare remindersEvery: number

  // The days since a rebuild are counted live; closed days change only when an outcome is recorded late, which a
  // rebuild every ten minutes picks up, costing a large practice seconds of CPU in ten minutes, not per minute.
  // /insights states this same interval (app/support/insights_schedule.ts).
  @flags.number({ description: 'Seconds between rebuilds of the insights rollup', default: INSIGHTS_REFRESH_SECONDS })
  declare insightsEvery: number

  @flags.number({ description: 'Seconds between waitlist passes (offers of freed slots)', default: 10 })
  declare waitlistEvery: number

  @flags.boolean({ description: 'Send what is due now, then exit' })
  declare once: boolean

  #stopping = false
  #wake: (() => void) | null = null

  async run() {
    if (!(this.interval > 0 && this.interval <= 3600)) return this.#refuse('--interval must be between 0 and 3600 seconds')
    if (!(Number.isInteger(this.batch) && this.batch >= 1 && this.batch <= 100)) {
      return this.#refuse('--batch must be a whole number from 1 to 100')
    }
    if (!(this.remindersEvery >= 1 && this.remindersEvery <= 3600)) {
      return this.#refuse('--reminders-every must be between 1 and 3600 seconds')
    }
    if (!(this.insightsEvery >= 10 && this.insightsEvery <= 86400)) {
      return this.#refuse('--insights-every must be between 10 and 86400 seconds')
    }
    if (!(this.waitlistEvery >= 1 && this.waitlistEvery <= 3600)) {
      return this.#refuse('--waitlist-every must be between 1 and 3600 seconds')
    }

    const { mailDeliveryProblem } = await import('#services/mail_queue')
    // An operator's one-off run says so plainly; a long-running worker logs it once and
    // idles (mail stays queued) instead of crash-looping under a process manager.
    const problem = mailDeliveryProblem()
    if (problem && this.once) return this.#refuse(problem)

    const work = this.once ? this.#drain() : this.#poll()
    process.on('SIGINT', () => this.#stop())
    // SIGTERM terminates the app (bin/console.ts); the batch in hand finishes before the pools close.
    this.app.terminating(async () => {
      this.#stop()
      await work
    })
    await work
    await this.terminate()
  }

  /** Passes until one claims nothing. */
  async #drain() {
    const { deliverDueMail } = await import('#jobs/deliver_mail')
    const total = { sent: 0, failed: 0, retried: 0 }
    try {
      while (!this.#stopping) {
        const result = await deliverDueMail({ limit: this.batch, workerId: this.#workerId })
        total.sent += result.sent
        total.failed += result.failed
        total.retried += result.retried
        if (result.sent + result.failed + result.retried === 0) break
      }
      this.logger.info(`Mail queue drained: ${summary(total)}`)
    } catch (error) {
      this.logger.error(`Mail delivery stopped: ${(error as Error).message}`)
      this.exitCode = 1
    }
  }

  async #poll() {
    const { deliverDueMail } = await import('#jobs/deliver_mail')
    const { runReminderPass } = await import('#jobs/send_reminders')
    const { runWaitlistJob } = await import('#jobs/send_waitlist_offers')
    const { recordHeartbeat } = await import('#services/worker_heartbeat')
    const { runInsightsRefresh } = await import('#jobs/refresh_insights')
    const { endParentLinksAtEighteen } = await import('#actions/family/end_parent_links_at_eighteen')
    this.logger.info(`Mail worker ${this.#workerId} started (batch ${this.batch}, every ${this.interval}s)`)
    let failures = 0
    let nextReminderPass = 0
    let nextWaitlistPass = 0
    let nextHeartbeat = 0
    let nextInsightsRefresh = 0
    let nextComingOfAgePass = 0
    // The rollup rebuild takes seconds on a large practice: it runs beside the mail, never two at once.
    let rebuilding: Promise<void> | null = null
    while (!this.#stopping) {
      // /health reports the last heartbeat of any worker (app/services/worker_heartbeat.ts).
      if (Date.now() >= nextHeartbeat) {
        nextHeartbeat = Date.now() + HEARTBEAT_SECONDS * 1000
        await recordHeartbeat(this.#workerId).catch((error) => {
          nextHeartbeat = 0
          this.logger.error(`Heartbeat not recorded: ${(error as Error).message}`)
        })
      }
      if (!rebuilding && Date.now() >= nextInsightsRefresh) {
        nextInsightsRefresh = Date.now() + this.insightsEvery * 1000
        rebuilding = runInsightsRefresh()
          .then(() => {})
          .catch((error) => this.logger.error(`Insights rollup rebuild failed: ${(error as Error).message}`))
          .finally(() => {
            rebuilding = null
          })
      }
      if (Date.now() >= nextReminderPass) {
        nextReminderPass = Date.now() + this.remindersEvery * 1000
        try {
          const reminders = await runReminderPass()
          if (reminders.sent || reminders.skipped) {
            this.logger.info(`Reminders: ${reminders.sent} queued, ${reminders.skipped} not sent (recorded why)`)
          }
        } catch (error) {
          this.logger.error(`Reminder pass failed: ${(error as Error).message}`)
        }
      }
      if (Date.now() >= nextWaitlistPass) {
        nextWaitlistPass = Date.now() + this.waitlistEvery * 1000
        try {
          const waitlist = await runWaitlistJob()
          if (waitlist.offersSent || waitlist.offersExpired || waitlist.slotsClosed) {
            this.logger.info(
              `Waitlist: ${waitlist.offersSent} offers sent, ${waitlist.offersWithheld} withheld, ${waitlist.offersExpired} expired, ${waitlist.slotsClosed} slots closed`
            )
          }
        } catch (error) {
          this.logger.error(`Waitlist pass failed: ${(error as Error).message}`)
        }
      }
      // Parents' links of clients who turned 18: ended and the client told (portal access already stopped that day).
      if (Date.now() >= nextComingOfAgePass) {
        nextComingOfAgePass = Date.now() + COMING_OF_AGE_PASS_SECONDS * 1000
        try {
          const { ended } = await endParentLinksAtEighteen()
          if (ended) this.logger.info(`Parents' links ended at the 18th birthday: ${ended}`)
        } catch (error) {
          this.logger.error(`18th-birthday pass failed: ${(error as Error).message}`)
        }
      }
      let claimedFullBatch = false
      try {
        const result = await deliverDueMail({ limit: this.batch, workerId: this.#workerId })
        const handled = result.sent + result.failed + result.retried
        if (handled) this.logger.info(summary(result))
        claimedFullBatch = handled >= this.batch
        failures = 0
      } catch (error) {
        // The database is away: say so, wait longer each time (up to a minute), keep going.
        failures++
        this.logger.error(`Mail worker pass failed: ${(error as Error).message}`)
      }
      if (!claimedFullBatch) await this.#sleep(Math.min(this.interval * 2 ** Math.min(failures, 6), 60))
    }
    await rebuilding
    this.logger.info('Mail worker stopped')
  }

  #stop() {
    this.#stopping = true
    this.#wake?.()
  }

  #sleep(seconds: number) {
    return new Promise<void>((resolve) => {
      if (this.#stopping) return resolve()
      const timer = setTimeout(done, seconds * 1000)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.#wake = done
    })
  }

  get #workerId() {
    return `${hostname()}:${process.pid}`
  }

  async #refuse(message: string) {
    this.logger.error(message)
    this.exitCode = 1
    await this.terminate()
  }
}

/** How often a worker says it is alive; /health's limit is far longer. */
const HEARTBEAT_SECONDS = 5

/** Birthdays change once a day in the practice's time zone: an hourly pass ends a parent's link within the hour. */
const COMING_OF_AGE_PASS_SECONDS = 3600

function summary(result: { sent: number; failed: number; retried: number }) {
  return `${result.sent} sent, ${result.retried} to retry, ${result.failed} failed`
}
