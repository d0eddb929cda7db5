/**
 * The one scoreboard both teams open (GET /v1/metrics/scoreboard): pipeline created and bookings against the
 * Agreement's shared targets with pacing, the funnel with stage conversion (overall, by the chosen breakdown and by
 * campaign), opportunity metrics (win rate, deal size, cycle, velocity), speed-to-lead and SLA compliance by tier,
 * team and rep, acceptance and rejection/recycle reasons, and marketing's MQL volume commitment met or not —
 * optionally narrowed to one value of one or more breakdowns (segment = Enterprise).
 */
import type { Ctx } from '../context.ts'
import {
  type DispositionMetrics,
  dispositionMetrics,
  type Period,
  parsePeriod,
  type SlaCompliance,
  type SpeedToLead,
  slaCompliance,
  speedToLead,
  type TargetProgress,
  type TargetSet,
  targetProgress,
} from '../core/metrics/index.ts'
import { loadAnalyticsSettings } from './analytics-settings.ts'
import { type BreakdownFilter, filterEntries, matchesFilter } from './breakdown-filter.ts'
import { countStageEntries, type FunnelView, getFunnel, LEAD_DIMENSIONS } from './funnel.queries.ts'
import { loadDispositions, loadHandoffs, loadSlaClocks, toDispositionRecord } from './handoff.queries.ts'
import {
  loadOpportunityFigures,
  measureOpportunityLoad,
  OPPORTUNITY_DIMENSIONS,
  type OpportunityMetricsView,
} from './opportunities.queries.ts'

export type Scoreboard = {
  period: { label: string; from: string; to: string }
  asOf: string
  agreement: { versionId: number; hash: string } | null
  by: string
  /** The breakdown values every number here is narrowed to ({} for all leads). */
  filter: BreakdownFilter
  /**
   * Progress against the target whose period holds this period's end, measured over that target's period to date.
   * Null without such a target, and while filtered: the Agreement's targets are company-wide.
   */
  targets: (TargetProgress & { mqlCommitment: { target: number; actual: number; met: boolean } | null }) | null
  opportunities: OpportunityMetricsView
  funnel: FunnelView
  speedToLead: SpeedToLead
  sla: SlaCompliance
  dispositions: DispositionMetrics
}

/** The target of the Agreement whose period holds the last instant of `period`. */
export function findTarget(targets: readonly TargetSet[], period: { to: number }): TargetSet | null {
  return (
    targets.find((t) => {
      const p = parsePeriod(t.period)
      return period.to - 1 >= p.from && period.to - 1 < p.to
    }) ?? null
  )
}

/**
 * Everything on the scoreboard for one period and one breakdown, for all leads or those matching `filter`.
 *
 * @example await getScoreboard(ctx, 1, { period: parsePeriod('2026-Q4'), by: 'source', filter: { segment: 'Enterprise' } })
 */
export async function getScoreboard(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  options: { period: Period; by?: string; filter?: BreakdownFilter },
): Promise<Scoreboard> {
  const now = ctx.clock()
  const { period } = options
  const by = options.by ?? 'source'
  const filter = Object.fromEntries(filterEntries(options.filter)) as BreakdownFilter
  const filtered = Object.keys(filter).length > 0
  const settings = await loadAnalyticsSettings(ctx, workspaceId, now)
  const { repTeams } = settings
  // A lead breakdown the opportunities lack (medium, tier) leaves their groups empty, not an error.
  const oppBy = (OPPORTUNITY_DIMENSIONS as readonly string[]).includes(by) ? by : null
  const funnelBy = (LEAD_DIMENSIONS as readonly string[]).includes(by) ? by : 'source'
  const target = filtered ? null : findTarget(settings.targets, period)
  const tp = target ? parsePeriod(target.period) : null
  const toDate = tp ? { from: tp.from, to: Math.max(tp.from + 1, Math.min(now, tp.to)) } : null
  // One load of opportunities serves the period and the target's period to date (usually inside it), and the target's
  // counts are read beside the rest: one round of queries.
  const oppWindow = toDate
    ? { from: Math.min(period.from, toDate.from), to: Math.max(period.to, toDate.to) }
    : { from: period.from, to: period.to }
  const [oppLoad, funnel, handoffs, clocks, dispositions, toDateCounts] = await Promise.all([
    loadOpportunityFigures(ctx, workspaceId, { period: oppWindow, by: oppBy, repTeams, filter }),
    getFunnel(ctx, workspaceId, {
      period,
      stages: settings.stages,
      by: funnelBy === 'campaign' ? ['campaign'] : [funnelBy, 'campaign'],
      repTeams,
      filter,
    }),
    loadHandoffs(ctx, workspaceId, period, repTeams, filter),
    loadSlaClocks(ctx, workspaceId, period, repTeams, filter),
    loadDispositions(ctx, workspaceId, period, { repTeams, icpCriteria: settings.icpCriteria }),
    toDate &&
      Promise.all([
        countStageEntries(ctx, workspaceId, ['MQL', 'SQL'], toDate),
        loadSlaClocks(ctx, workspaceId, toDate, repTeams),
      ]),
  ])
  const opportunities = measureOpportunityLoad(oppLoad, { period, by: oppBy })
  let targets: Scoreboard['targets'] = null
  if (target && tp && toDate && toDateCounts) {
    const opp = measureOpportunityLoad(oppLoad, { period: { ...tp, ...toDate } })
    const [[mqls = 0, sqls = 0], clocksToDate] = toDateCounts
    const progress = targetProgress(
      {
        pipeline: opp.created.amount,
        bookings: opp.won.amount,
        opportunities: opp.created.count,
        mqls,
        sqls,
        sla_compliance: slaCompliance(clocksToDate, { now }).overall.compliance,
      },
      target,
      { now },
    )
    targets = {
      ...progress,
      mqlCommitment: target.mqls === undefined ? null : { target: target.mqls, actual: mqls, met: mqls >= target.mqls },
    }
  }
  return {
    period: { label: period.label, from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() },
    asOf: new Date(now).toISOString(),
    agreement: settings.agreement,
    by,
    filter,
    targets,
    opportunities,
    funnel,
    speedToLead: speedToLead(handoffs, { period }),
    sla: slaCompliance(clocks, { now, period }),
    dispositions: dispositionMetrics(
      dispositions.filter((d) => matchesFilter(d.dimensions, filter)).map(toDispositionRecord),
      { period, by: funnelBy },
    ),
  }
}
