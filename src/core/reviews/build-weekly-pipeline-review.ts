import type { DriftAlert } from '../feedback/index.ts'
import {
  type FunnelLead,
  funnel,
  type OpportunityRecord,
  opportunityDimension,
  opportunityMetrics,
  type Period,
  parsePeriod,
  type TargetSet,
  targetProgress,
  trailingPeriods,
} from '../metrics/index.ts'
import { formatPeriodRange, formatValue } from './format-value.ts'
import {
  changeAlerts,
  comparisonBaseline,
  driftToPackAlert,
  finishPack,
  type KpiDefinition,
  makeKpis,
} from './pack-parts.ts'
import type { ActionItem, BuildPackOptions, PackAlert, PackSection, ReviewPack } from './review-pack-types.ts'

const DAY_MS = 86_400_000

export type WeeklyPipelineData = {
  opportunities: readonly OpportunityRecord[]
  /** Lead stage histories for the funnel; the funnel section is left out without them. */
  leads?: readonly FunnelLead[]
  /** Ordered funnel stages, e.g. ['Lead', 'MQL', 'SAL', 'SQL', 'Opportunity']. */
  stages?: readonly string[]
  /** The Agreement's targets; the one whose period holds the review period's last instant is paced. */
  targets?: readonly TargetSet[]
  /** `dims` key pipeline created is broken down by. Default 'source'. */
  breakdown?: string
  /** An open deal without activity (lastActivityAt, else createdAt) for this many days is stalled. Default 21. */
  stalledAfterDays?: number
  /** Periods in the trend line, this one included. Default 8. */
  trendPeriods?: number
  /** Rows of the top-new-opportunities table. Default 10. */
  topN?: number
  actionItems?: readonly ActionItem[]
  driftAlerts?: readonly DriftAlert[]
}

const KPIS: KpiDefinition[] = [
  { id: 'pipeline_created', label: 'Pipeline created', format: 'money', better: 'up' },
  { id: 'opportunities_created', label: 'Opportunities created', format: 'count', better: 'up' },
  { id: 'bookings', label: 'Bookings (closed won)', format: 'money', better: 'up' },
  { id: 'win_rate', label: 'Win rate (won ÷ closed, by count)', format: 'percent', better: 'up' },
  { id: 'avg_deal_size', label: 'Average won deal', format: 'money', better: 'up' },
  { id: 'cycle_median_days', label: 'Sales cycle, median', format: 'days', better: 'down' },
  { id: 'velocity', label: 'Pipeline velocity', format: 'money_per_day', better: 'up' },
  { id: 'open_pipeline', label: 'Open pipeline at period end', format: 'money', better: 'up' },
]

function pipelineValues(opps: readonly OpportunityRecord[], period: Period): Record<string, number | null> {
  const m = opportunityMetrics(opps, { period })
  return {
    pipeline_created: m.created.amount,
    opportunities_created: m.created.count,
    bookings: m.won.amount,
    win_rate: m.winRate,
    avg_deal_size: m.avgDealSize,
    cycle_median_days: m.cycleDays.median,
    velocity: m.velocity.perDay,
    open_pipeline: m.velocity.openAmount,
  }
}

/**
 * The weekly pipeline review: headline KPIs with changes since the last pack, pipeline created
 * against the Agreement target's linear pacing (quarter to date), a trend line over the last weeks,
 * the funnel, pipeline created by source, top new opportunities and stalled deals, with drift and
 * pacing alerts and open action items.
 *
 * @example buildWeeklyPipelineReview({ opportunities, leads, stages, targets }, { period: parsePeriod('2026-W47'), previous: lastPack, now })
 */
export function buildWeeklyPipelineReview(data: WeeklyPipelineData, options: BuildPackOptions): ReviewPack {
  const { period, now } = options
  const currency = options.currency ?? null
  const previousPack = options.previous ?? null
  const baseline = comparisonBaseline(options)
  const opps = data.opportunities
  const metrics = opportunityMetrics(opps, { period })
  const values = pipelineValues(opps, period)
  const sections: PackSection[] = []
  const alerts: PackAlert[] = []
  const generated: ActionItem[] = []

  const target = data.targets?.find((t) => {
    const tp = parsePeriod(t.period)
    return period.to - 1 >= tp.from && period.to - 1 < tp.to
  })
  const kpis = makeKpis(
    KPIS,
    values,
    baseline.previousPeriod ? pipelineValues(opps, baseline.previousPeriod) : null,
    previousPack,
  )
  sections.push({ kind: 'kpis', title: 'Headline numbers', kpis })
  alerts.push(...changeAlerts(kpis))

  if (target) {
    const tp = parsePeriod(target.period)
    const toDate = { from: tp.from, to: Math.min(period.to, tp.to) }
    const m = opportunityMetrics(opps, { period: toDate })
    const progress = targetProgress(
      { pipeline: m.created.amount, bookings: m.won.amount, opportunities: m.created.count },
      {
        period: target.period,
        pipeline: target.pipeline,
        bookings: target.bookings,
        opportunities: target.opportunities,
      },
      { now: toDate.to },
    )
    sections.push({
      kind: 'table',
      title: `Against the shared targets for ${target.period} (to ${formatPeriodRange(toDate).slice(-10)})`,
      columns: [
        { key: 'metric', label: 'Metric' },
        { key: 'actual', label: 'Actual to date' },
        { key: 'target', label: 'Target' },
        { key: 'share', label: 'Share of target', format: 'percent' },
        { key: 'expected', label: 'Expected by now', format: 'percent' },
        { key: 'status', label: 'Status' },
      ],
      rows: progress.lines.map((l) => ({
        metric: l.metric,
        actual: formatValue(l.actual, l.metric === 'opportunities' ? 'count' : 'money', currency),
        target: formatValue(l.target, l.metric === 'opportunities' ? 'count' : 'money', currency),
        share: l.share,
        expected: l.expectedShare,
        status: l.status.replace('_', ' '),
      })),
      note: 'Linear pacing: by now the target expects elapsed ÷ length of its period.',
    })
    for (const l of progress.lines.filter((x) => x.status === 'behind')) {
      alerts.push({ kind: 'pacing', severity: 'warning', text: `${target.period} ${l.reason}` })
      generated.push({
        id: `pacing:${target.period}:${l.metric}`,
        text: `${l.metric} is behind pace for ${target.period} (${l.reason.split(': ')[1]}): agree a recovery plan`,
        owner: null,
        dueAt: null,
        status: 'open',
        source: 'generated',
      })
    }
  }

  const trend = trailingPeriods(period, data.trendPeriods ?? 8)
  const weeklyTarget =
    target?.pipeline === undefined || target === undefined
      ? undefined
      : (() => {
          const tp = parsePeriod(target.period)
          return { label: 'target pace', value: (target.pipeline * (period.to - period.from)) / (tp.to - tp.from) }
        })()
  sections.push({
    kind: 'chart',
    title: 'Pipeline created per period',
    chart: {
      kind: 'line',
      format: 'money',
      points: trend.map((p) => ({ label: p.label, value: opportunityMetrics(opps, { period: p }).created.amount })),
      ...(weeklyTarget ? { target: weeklyTarget } : {}),
    },
  })

  if (data.leads && data.stages && data.stages.length > 0) {
    const f = funnel(data.leads, { stages: data.stages, period, cohort: 'entered_in_period', asOf: now })
    sections.push({
      kind: 'chart',
      title: 'Funnel (leads entering each stage this period)',
      chart: {
        kind: 'funnel',
        steps: f.overall.stages.map((s) => ({
          label: s.stage,
          value: s.entered,
          ...(s.conversion === null ? {} : { note: `${(100 * s.conversion).toFixed(1)}% advanced` }),
        })),
      },
      note: f.convention,
    })
    sections.push({
      kind: 'table',
      title: 'Funnel by stage',
      columns: [
        { key: 'stage', label: 'Stage' },
        { key: 'entered', label: 'Entered', format: 'count' },
        { key: 'advanced', label: 'Advanced', format: 'count' },
        { key: 'conversion', label: 'Conversion to next', format: 'percent' },
        { key: 'median', label: 'Time in stage, median', format: 'days' },
        { key: 'p90', label: 'Time in stage, p90', format: 'days' },
      ],
      rows: f.overall.stages.map((s) => ({
        stage: s.stage,
        entered: s.entered,
        advanced: s.advanced,
        conversion: s.conversion,
        median: s.timeInStageMs.median === null ? null : s.timeInStageMs.median / DAY_MS,
        p90: s.timeInStageMs.p90 === null ? null : s.timeInStageMs.p90 / DAY_MS,
      })),
    })
  }

  const breakdown = data.breakdown ?? 'source'
  const bySource = opportunityMetrics(opps, { period, by: breakdown }).groups.filter((g) => g.created.count > 0)
  sections.push({
    kind: 'chart',
    title: `Pipeline created by ${breakdown}`,
    chart: {
      kind: 'bar',
      format: 'money',
      bars: bySource.map((g) => ({ label: g.key ?? '(unknown)', value: g.created.amount })),
    },
  })
  sections.push({
    kind: 'table',
    title: `Velocity and win rate by ${breakdown}`,
    columns: [
      { key: 'key', label: breakdown },
      { key: 'created', label: 'Pipeline created', format: 'money' },
      { key: 'won', label: 'Bookings', format: 'money' },
      { key: 'winRate', label: 'Win rate', format: 'percent' },
      { key: 'velocity', label: 'Velocity', format: 'money_per_day' },
    ],
    rows: opportunityMetrics(opps, { period, by: breakdown }).groups.map((g) => ({
      key: g.key ?? '(unknown)',
      created: g.created.amount,
      won: g.won.amount,
      winRate: g.winRate,
      velocity: g.velocity.perDay,
    })),
    note: metrics.velocity.formula,
  })

  const oppRow = (o: OpportunityRecord) => ({
    name: o.name ?? o.id,
    account: o.account ?? null,
    owner: o.owner ?? opportunityDimension(o, 'owner'),
    amount: o.amount,
    stage: o.stage ?? null,
  })
  const top = opps
    .filter((o) => o.createdAt >= period.from && o.createdAt < period.to)
    .sort((a, b) => b.amount - a.amount || a.id.localeCompare(b.id))
    .slice(0, data.topN ?? 10)
  sections.push({
    kind: 'table',
    title: 'Top new opportunities',
    columns: [
      { key: 'name', label: 'Opportunity' },
      { key: 'account', label: 'Account' },
      { key: 'owner', label: 'Owner' },
      { key: 'stage', label: 'Stage' },
      { key: 'amount', label: 'Amount', format: 'money' },
    ],
    rows: top.map(oppRow),
  })

  const stalledDays = data.stalledAfterDays ?? 21
  const stalled = opps
    .filter((o) => !o.isClosed && o.createdAt < now)
    .map((o) => ({ o, idle: (now - (o.lastActivityAt ?? o.createdAt)) / DAY_MS }))
    .filter((s) => s.idle >= stalledDays)
    .sort((a, b) => b.o.amount - a.o.amount || b.idle - a.idle || a.o.id.localeCompare(b.o.id))
  sections.push({
    kind: 'table',
    title: `Stalled deals (open, no activity for ${stalledDays}+ days)`,
    columns: [
      { key: 'name', label: 'Opportunity' },
      { key: 'account', label: 'Account' },
      { key: 'owner', label: 'Owner' },
      { key: 'stage', label: 'Stage' },
      { key: 'amount', label: 'Amount', format: 'money' },
      { key: 'idle', label: 'Days idle', format: 'count' },
    ],
    rows: stalled.map((s) => ({ ...oppRow(s.o), idle: Math.floor(s.idle) })),
  })
  const stalledByOwner = new Map<string, { count: number; amount: number }>()
  for (const { o } of stalled) {
    const owner = o.owner ?? '(unassigned)'
    const entry = stalledByOwner.get(owner) ?? { count: 0, amount: 0 }
    entry.count++
    entry.amount += o.amount
    stalledByOwner.set(owner, entry)
  }
  for (const [owner, s] of stalledByOwner) {
    generated.push({
      id: `stalled:${owner}`,
      text: `${owner}: review ${s.count} stalled deal${s.count === 1 ? '' : 's'} (${formatValue(s.amount, 'money', currency)} open)`,
      owner,
      dueAt: null,
      status: 'open',
      source: 'generated',
    })
  }

  alerts.push(...(data.driftAlerts ?? []).map(driftToPackAlert))
  return finishPack({
    kind: 'weekly_pipeline',
    title: options.title ?? `Weekly pipeline review ${period.label}`,
    period,
    now,
    currency: currency,
    comparedWith: baseline.comparedWith,
    sections,
    tracked: data.actionItems ?? [],
    generated,
    previousPack,
    alerts,
  })
}
