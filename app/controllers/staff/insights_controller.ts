import type { HttpContext } from '@adonisjs/core/http'
import { Readable } from 'node:stream'
import PracticeSetting from '#models/practice_setting'
import { insightsPeriodValidator } from '#validators/insights'
import { firstErrorOfEachField } from '#validators/field_error'
import { customDays, lastDays, monthLabel, type InsightPeriod } from '#actions/insights/period'
import { figuresFor, outreachFor, seesWholePractice, type Viewer } from '#actions/insights/figures'
import { insightCharts } from '#actions/insights/charts'
import { insightsCsv } from '#actions/insights/csv'
import { auditStaffOrOperator } from '#services/audit'
import { actorOf } from '#services/request_actor'
import { practiceNow } from '#support/practice_time'
import { refreshIntervalText } from '#support/insights_schedule'

/*
| Insights for the practice owner (issue #21): ceo and admin see the whole
| practice, a clinician her caseload (the staffArea middleware lets no one
| else in). The figures are app/actions/insights/figures.ts's; this reads
| the period, audits, renders.
*/
export default class InsightsController {
  async index(ctx: HttpContext) {
    const chosen = await periodFrom(ctx)
    if ('errors' in chosen) return renderInvalid(ctx, 'pages/staff/insights/index', chosen)
    const { viewer, period, settings } = chosen
    const now = practiceNow()
    await auditStaffOrOperator(actorOf(ctx), 'insights.viewed', { detail: periodDetail(period) })
    const figures = await figuresFor(viewer, period, { now, dropOffDays: settings.dropOffDays })
    return ctx.view.render('pages/staff/insights/index', {
      figures,
      charts: insightCharts(figures),
      values: { period: period.choice, from: period.from, to: period.to },
      query: periodQuery(period),
      errors: {},
      monthLabel,
      refreshEvery: refreshIntervalText(),
    })
  }

  /** Clients to reach out to; opening the list is audited (it names clients). */
  async outreach(ctx: HttpContext) {
    const chosen = await periodFrom(ctx)
    if ('errors' in chosen) return renderInvalid(ctx, 'pages/staff/insights/outreach', chosen)
    const { viewer, period, settings } = chosen
    const lists = await outreachFor(viewer, period, { now: practiceNow(), dropOffDays: settings.dropOffDays })
    await auditStaffOrOperator(actorOf(ctx), 'insights.outreach_viewed', {
      detail: { ...periodDetail(period), missed: lists.missed.total, droppedOff: lists.droppedOff.total },
    })
    return ctx.view.render('pages/staff/insights/outreach', {
      lists,
      period,
      wholePractice: seesWholePractice(viewer),
      values: { period: period.choice, from: period.from, to: period.to },
      query: periodQuery(period),
      errors: {},
      dropOffDays: settings.dropOffDays,
    })
  }

  /** Every table of the page for the period, as CSV (ceo and admin: the whole practice's figures). */
  async export(ctx: HttpContext) {
    const { response } = ctx
    await ctx.bouncer.authorize('exportInsights')
    const chosen = await periodFrom(ctx)
    if ('errors' in chosen) return renderInvalid(ctx, 'pages/staff/insights/index', chosen)
    const { viewer, period, settings } = chosen
    await auditStaffOrOperator(actorOf(ctx), 'insights.exported', { detail: periodDetail(period) })
    const figures = await figuresFor(viewer, period, { now: practiceNow(), dropOffDays: settings.dropOffDays })
    response.header('Content-Type', 'text/csv; charset=utf-8')
    response.header('Content-Disposition', `attachment; filename="insights-${period.from}-to-${period.to}.csv"`)
    response.header('Cache-Control', 'no-store')
    response.stream(Readable.from(insightsCsv(figures)))
  }
}

type Chosen =
  | { viewer: Viewer; period: InsightPeriod; settings: PracticeSetting }
  | { errors: Record<string, string>; values: Record<string, unknown> }

async function periodFrom({ request, auth }: HttpContext): Promise<Chosen> {
  const [error, input] = await request.tryValidateUsing(insightsPeriodValidator, { data: request.qs() })
  if (error) return { errors: firstErrorOfEachField(error), values: request.qs() }
  const staff = auth.use('staff').getUserOrFail()
  const period =
    input.period === 'custom' && input.from && input.to
      ? customDays(input.from, input.to)
      : lastDays(Number(input.period ?? '90') as 30 | 90 | 365)
  return { viewer: { id: staff.id, role: staff.role }, period, settings: await PracticeSetting.current() }
}

function renderInvalid(ctx: HttpContext, page: string, chosen: { errors: Record<string, string>; values: Record<string, unknown> }) {
  ctx.response.status(422)
  return ctx.view.render(page, { figures: null, lists: null, values: chosen.values, errors: chosen.errors, query: {} })
}

function periodQuery(period: InsightPeriod) {
  return period.choice === 'custom' ? { period: 'custom', from: period.from, to: period.to } : { period: period.choice }
}

/** Which period, never what it showed. */
function periodDetail(period: InsightPeriod) {
  return { period: period.choice, from: period.from, to: period.to }
}
