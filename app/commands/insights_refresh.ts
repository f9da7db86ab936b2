import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
| Rebuilds the insights rollup from scratch now (issue #21): what every
| worker does every 10 minutes (`jobs:work`, INSIGHTS_REFRESH_SECONDS), for an operator after a bulk
| change or a restore, or to build it the first time. Until it has been
| built, /insights counts everything live.
|   node ace insights:refresh
| Prints counts and timings only.
*/
export default class InsightsRefresh extends BaseCommand {
  static commandName = 'insights:refresh'
  static description = 'Rebuild the insights rollup (the whole practice\'s figures on /insights) from scratch'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { refreshInsightRollup } = await import('#actions/insights/figures')
    const result = await refreshInsightRollup()
    if (!result) {
      this.logger.warning('Another worker is rebuilding the insights rollup right now; nothing was done.')
      return
    }
    this.logger.success(
      `Insights rollup rebuilt in ${result.durationMs} ms: days before ${result.daysBefore}, ${result.changedRows} row(s) changed.`
    )
  }
}
