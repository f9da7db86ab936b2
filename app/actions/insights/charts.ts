import type { Figures, OutcomeRow, Rate } from '#actions/insights/figures'
import { monthLabel } from '#actions/insights/period'
import { DateTime } from 'luxon'

/*
| Bar charts as plain geometry, drawn server-side as SVG by
| components/ui/bar_chart.edge: no client-side charting, so they show with
| JavaScript off and in print. Every bar carries its value as text above it
| and its label below it; a second group is hatched, not only coloured, so
| colour is never the only cue. The data table sits beside each chart.
*/
export interface BarInput {
  label: string
  /** Bar height in the chart's unit; null: nothing to show (no appointments). */
  value: number | null
  /** What is printed above the bar ("25.0 %", "12"). */
  text: string
  hatched?: boolean
}

export interface Bar extends BarInput {
  x: number
  y: number
  width: number
  height: number
  centre: number
  valueY: number
}

export interface BarChart {
  id: string
  title: string
  /** One sentence a screen reader reads, and the figure's caption. */
  summary: string
  width: number
  height: number
  baseline: number
  bars: Bar[]
  hasHatched: boolean
}

const PLOT_TOP = 28
const PLOT_BOTTOM = 170
const HEIGHT = 200
const SLOT = 64
const BAR = 40
const MARGIN = 16

/** Bars scaled to the largest value (or to `max`, e.g. 100 for percentages of a small range). */
export function barChart(id: string, title: string, summary: string, inputs: BarInput[], max?: number): BarChart {
  const largest = Math.max(max ?? 0, ...inputs.map((bar) => bar.value ?? 0))
  const scale = largest > 0 ? (PLOT_BOTTOM - PLOT_TOP) / largest : 0
  const bars = inputs.map((input, index) => {
    const height = input.value ? Math.max(1, Math.round(input.value * scale)) : 0
    const x = MARGIN + index * SLOT + (SLOT - BAR) / 2
    return {
      ...input,
      x,
      y: PLOT_BOTTOM - height,
      width: BAR,
      height,
      centre: x + BAR / 2,
      valueY: PLOT_BOTTOM - height - 6,
    }
  })
  return {
    id,
    title,
    summary,
    width: MARGIN * 2 + Math.max(1, inputs.length) * SLOT,
    height: HEIGHT,
    baseline: PLOT_BOTTOM,
    bars,
    hasHatched: bars.some((bar) => bar.hatched),
  }
}

function rateValue(rate: Rate) {
  return rate.denominator ? (rate.count * 100) / rate.denominator : null
}

/** "Mar 2019" under a bar: short enough for a month a bar. */
function shortMonth(key: string) {
  return DateTime.fromFormat(key, 'yyyy-MM').toFormat('LLL yyyy')
}

/** The month with the highest rate, in words, or that there was nothing to count. */
function highestMonth(rows: (OutcomeRow & { month: string })[], pick: (row: OutcomeRow) => Rate, what: string) {
  const counted = rows.filter((row) => pick(row).denominator > 0)
  if (!counted.length) return `No ${what} can be computed: no appointment in this period was attended, missed or late-cancelled.`
  const highest = counted.reduce((best, row) => ((rateValue(pick(row)) ?? 0) > (rateValue(pick(best)) ?? 0) ? row : best))
  const lowest = counted.reduce((best, row) => ((rateValue(pick(row)) ?? 0) < (rateValue(pick(best)) ?? 0) ? row : best))
  return counted.length === 1
    ? `The ${what} was ${pick(highest).text} in ${monthLabel(highest.month)}.`
    : `The ${what} ranged from ${pick(lowest).text} in ${monthLabel(lowest.month)} to ${pick(highest).text} in ${monthLabel(highest.month)}.`
}

export function insightCharts(figures: Figures) {
  const months = figures.months
  const rateBars = (pick: (row: OutcomeRow) => Rate) =>
    months.map((row) => ({ label: shortMonth(row.month), value: rateValue(pick(row)), text: pick(row).text }))

  const sideBySide = [
    { label: 'Portal', row: figures.portal.with, hatched: false },
    { label: 'No portal', row: figures.portal.without, hatched: true },
    { label: 'Reminder', row: figures.reminder.with, hatched: false },
    { label: 'No reminder', row: figures.reminder.without, hatched: true },
  ]
  const totalAppointments = months.reduce((sum, row) => sum + row.attended, 0)

  return {
    noShow: barChart('chart-no-show', 'No-show rate by month', highestMonth(months, (row) => row.noShowRate, 'no-show rate'), rateBars((row) => row.noShowRate)),
    lateCancel: barChart(
      'chart-late-cancel',
      'Late-cancellation rate by month',
      highestMonth(months, (row) => row.lateCancelRate, 'late-cancellation rate'),
      rateBars((row) => row.lateCancelRate)
    ),
    attended: barChart(
      'chart-attended',
      'Attended appointments by month',
      `${totalAppointments} appointments were attended in this period.`,
      months.map((row) => ({ label: shortMonth(row.month), value: row.attended, text: String(row.attended) }))
    ),
    sideBySide: barChart(
      'chart-side-by-side',
      'No-show rate with and without the portal and reminders',
      `No-show rate: ${sideBySide.map((bar) => `${bar.label.toLowerCase()} ${bar.row.noShowRate.text}`).join(', ')}. The groups chose themselves, so the difference is not only an effect of the portal or of reminders.`,
      sideBySide.map((bar) => ({
        label: bar.label,
        value: rateValue(bar.row.noShowRate),
        text: bar.row.noShowRate.text,
        hatched: bar.hatched,
      }))
    ),
  }
}
