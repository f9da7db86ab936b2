/*
| How often the worker rebuilds the insights rollup (issue #21): the default
| of `jobs:work --insights-every`, and what /insights tells its reader. One
| constant, so the page cannot promise a rebuild the worker does not do by
| default (an operator may run the worker with another interval: the page
| says "by default" and shows when the rollup was last rebuilt).
*/
export const INSIGHTS_REFRESH_SECONDS = 600

/** "every 10 minutes", "every minute", "every 30 seconds", "every 2 hours". */
export function refreshIntervalText(seconds: number = INSIGHTS_REFRESH_SECONDS) {
  const unit = (count: number, name: string) => (count === 1 ? `every ${name}` : `every ${count} ${name}s`)
  if (seconds % 3600 === 0) return unit(seconds / 3600, 'hour')
  if (seconds % 60 === 0) return unit(seconds / 60, 'minute')
  return unit(seconds, 'second')
}
