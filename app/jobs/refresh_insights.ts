/*
| The insights rollup job (issue #21 "Performance"), run by `node ace
| jobs:work` once a minute beside the reminder pass: rebuilds the rollup
| /insights reads for the whole practice (app/actions/insights/figures.ts).
| Several workers may run it: one rebuilds, the others skip that minute.
*/
import { refreshInsightRollup } from '#actions/insights/figures'

/** How often a worker rebuilds the rollup. */
export const INSIGHTS_REFRESH_SECONDS = 60

export function runInsightsRefresh() {
  return refreshInsightRollup()
}
