import type { AttributionModel, AttributionResult } from '../attribution/index.ts'
import type { CalibrationResult } from '../calibration/index.ts'
import type { Amendment, DriftAlert } from '../feedback/index.ts'
import {
  type DispositionRecord,
  dispositionMetrics,
  type OpportunityRecord,
  opportunityMetrics,
  type Period,
} from '../metrics/index.ts'
import { formatValue } from './format-value.ts'
import {
  changeAlerts,
  comparisonBaseline,
  driftToPackAlert,
  finishPack,
  type KpiDefinition,
  makeKpis,
} from './pack-parts.ts'
import type { ActionItem, BuildPackOptions, Cell, PackAlert, PackSection, ReviewPack } from './review-pack-types.ts'

/** The parts of a calibration the review shows (a full CalibrationResult fits). */
export type CalibrationSummary = Pick<CalibrationResult, 'auc' | 'n' | 'positives' | 'factors'> & {
  suggestedFit?: Pick<CalibrationResult['suggestedFit'], 'criteria' | 'rule'>
}

export type QuarterlyIcpData = {
  opportunities: readonly OpportunityRecord[]
  /** `dims` key holding each opportunity's ICP fit band at creation ('A', '80-100'…). Default 'fit_band'. */
  fitBandDimension?: string
  /** Band labels in display order; default: alphabetical. */
  fitBands?: readonly string[]
  calibration?: CalibrationSummary | null
  driftAlerts?: readonly DriftAlert[]
  amendments?: readonly Amendment[]
  /** Attribution of the quarter under the locked model, with the other models beside it. */
  attribution?: { locked: AttributionResult; alternatives?: readonly AttributionResult[] } | null
  dispositions?: readonly DispositionRecord[]
  /** `dims` key of dispositions for the rejection-by-segment table. Default 'segment'. */
  segmentDimension?: string
  /** Rows of the calibration factor table. Default 10. */
  topFactors?: number
  actionItems?: readonly ActionItem[]
}

const KPIS: KpiDefinition[] = [
  { id: 'win_rate', label: 'Win rate (won ÷ closed, by count)', format: 'percent', better: 'up' },
  { id: 'bookings', label: 'Bookings', format: 'money', better: 'up' },
  { id: 'avg_deal_size', label: 'Average won deal', format: 'money', better: 'up' },
  { id: 'cycle_median_days', label: 'Sales cycle, median', format: 'days', better: 'down' },
  { id: 'top_band_win_rate', label: 'Win rate of the best fit band', format: 'percent', better: 'up' },
  { id: 'acceptance_rate', label: 'Lead acceptance rate', format: 'percent', better: 'up' },
]

/**
 * The model's name as the review prints it ('w_shaped', 'markov (order 2)', 'time_decay (half-life 7 d)').
 *
 * @example describeModel({ kind: 'markov', order: 2 }) // 'markov (order 2)'
 */
export function describeModel(model: AttributionModel): string {
  switch (model.kind) {
    case 'markov':
      return `markov (order ${model.order ?? 1})`
    case 'time_decay':
      return `time_decay (half-life ${formatValue(model.halfLifeMs / 86_400_000, 'days')})`
    case 'custom':
      return `custom (${Object.entries(model.weights)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`
    default:
      return model.kind
  }
}

function icpValues(data: QuarterlyIcpData, period: Period, bandKey: string): Record<string, number | null> {
  const m = opportunityMetrics(data.opportunities, { period, by: bandKey })
  const bands = m.groups.filter((g) => g.key !== null)
  const order = data.fitBands
  const best = order ? bands.find((g) => g.key === order[0]) : bands[0]
  return {
    win_rate: m.winRate,
    bookings: m.won.amount,
    avg_deal_size: m.avgDealSize,
    cycle_median_days: m.cycleDays.median,
    top_band_win_rate: best?.winRate ?? null,
    acceptance_rate: dispositionMetrics(data.dispositions ?? [], { period }).overall.acceptanceRate,
  }
}

/**
 * The quarterly ICP review: win rate by ICP fit band, the calibration factors from closed-won/lost
 * history, drift alerts and proposed amendments from the feedback loop, attribution by channel under
 * the locked model with the alternatives beside it, and rejection reasons by segment; with changes
 * since the last pack and open action items (one per proposed amendment).
 *
 * @example buildQuarterlyIcpReview({ opportunities, calibration, driftAlerts, amendments, attribution }, { period: parsePeriod('2026-Q4'), previous: q3Pack, now })
 */
export function buildQuarterlyIcpReview(data: QuarterlyIcpData, options: BuildPackOptions): ReviewPack {
  const { period, now } = options
  const currency = options.currency ?? null
  const previousPack = options.previous ?? null
  const baseline = comparisonBaseline(options)
  const bandKey = data.fitBandDimension ?? 'fit_band'
  const sections: PackSection[] = []
  const alerts: PackAlert[] = []
  const generated: ActionItem[] = []

  const kpis = makeKpis(
    KPIS,
    icpValues(data, period, bandKey),
    baseline.previousPeriod ? icpValues(data, baseline.previousPeriod, bandKey) : null,
    previousPack,
  )
  sections.push({ kind: 'kpis', title: 'Headline numbers', kpis })
  alerts.push(...changeAlerts(kpis))

  const groups = opportunityMetrics(data.opportunities, { period, by: bandKey }).groups
  const order = data.fitBands
  const bands = order
    ? [
        ...order.flatMap((b) => groups.filter((g) => g.key === b)),
        ...groups.filter((g) => g.key === null || !order.includes(g.key)),
      ]
    : groups
  sections.push({
    kind: 'chart',
    title: 'Win rate by ICP fit band',
    chart: {
      kind: 'bar',
      format: 'percent',
      bars: bands.map((g) => ({ label: g.key ?? '(no band)', value: g.winRate })),
    },
  })
  sections.push({
    kind: 'table',
    title: 'Outcomes by ICP fit band',
    columns: [
      { key: 'band', label: 'Fit band' },
      { key: 'closed', label: 'Closed', format: 'count' },
      { key: 'won', label: 'Won', format: 'count' },
      { key: 'winRate', label: 'Win rate', format: 'percent' },
      { key: 'avgDeal', label: 'Average won deal', format: 'money' },
      { key: 'cycle', label: 'Cycle, median', format: 'days' },
      { key: 'bookings', label: 'Bookings', format: 'money' },
    ],
    rows: bands.map((g) => ({
      band: g.key ?? '(no band)',
      closed: g.won.count + g.lost.count,
      won: g.won.count,
      winRate: g.winRate,
      avgDeal: g.avgDealSize,
      cycle: g.cycleDays.median,
      bookings: g.won.amount,
    })),
  })

  const calibration = data.calibration ?? null
  if (calibration) {
    sections.push({
      kind: 'text',
      title: 'ICP calibration from won/lost history',
      text:
        `A logistic model of the outcome over ${formatValue(calibration.n, 'count')} labelled records ` +
        `(${formatValue(calibration.positives, 'count')} positive) reaches a hold-out AUC of ${calibration.auc.toFixed(3)}. ` +
        'Odds ratios below compare each value with its column’s reference level.',
    })
    const factorRows: Record<string, Cell>[] = []
    for (const factor of calibration.factors.slice(0, data.topFactors ?? 10)) {
      for (const term of factor.terms) {
        factorRows.push({
          column: factor.column,
          term: term.term,
          odds: term.oddsRatio,
          rows: term.rows,
          sentence: term.sentence,
        })
      }
    }
    sections.push({
      kind: 'table',
      title: 'Calibration factors (most important first)',
      columns: [
        { key: 'column', label: 'Column' },
        { key: 'term', label: 'Value' },
        { key: 'odds', label: 'Odds ratio', format: 'number' },
        { key: 'rows', label: 'Rows', format: 'count' },
        { key: 'sentence', label: 'Reading' },
      ],
      rows: factorRows,
    })
    if (calibration.suggestedFit && calibration.suggestedFit.criteria.length > 0) {
      sections.push({
        kind: 'table',
        title: 'Suggested fit points',
        columns: [
          { key: 'name', label: 'Criterion' },
          { key: 'when', label: 'Condition' },
          { key: 'points', label: 'Points', format: 'count' },
        ],
        rows: calibration.suggestedFit.criteria.map((c) => ({ name: c.name, when: c.when, points: c.points })),
        note: calibration.suggestedFit.rule,
      })
    }
  }

  const drift = data.driftAlerts ?? []
  sections.push({
    kind: 'list',
    title: 'Drift in the feedback loop',
    items: drift.length === 0 ? ['No segment moved beyond chance this quarter.'] : drift.map((a) => a.sentence),
  })
  alerts.push(...drift.map(driftToPackAlert))

  const amendments = data.amendments ?? []
  if (amendments.length > 0) {
    sections.push({
      kind: 'table',
      title: 'Proposed amendments to the Agreement',
      columns: [
        { key: 'kind', label: 'Change' },
        { key: 'segment', label: 'Segment' },
        { key: 'evidence', label: 'Evidence' },
      ],
      rows: amendments.map((a) => ({
        kind: a.kind.replaceAll('_', ' '),
        segment: `${a.alert.dimension} = ${a.alert.value}`,
        evidence: a.evidence,
      })),
    })
    sections.push({
      kind: 'text',
      title: 'Proposed amendments as Agreement YAML',
      text: amendments.map((a) => a.yaml.trimEnd()).join('\n\n'),
      preformatted: true,
    })
    for (const a of amendments) {
      generated.push({
        id: `amendment:${a.kind}:${a.alert.dimension}:${a.alert.value}`,
        text: `Decide on "${a.kind.replaceAll('_', ' ')}" for ${a.alert.dimension} = ${a.alert.value}: ${a.evidence}`,
        owner: null,
        dueAt: null,
        status: 'open',
        source: 'generated',
      })
    }
  }

  const attribution = data.attribution ?? null
  if (attribution) {
    const { locked } = attribution
    const alternatives = attribution.alternatives ?? []
    const lockedName = describeModel(locked.model)
    sections.push({
      kind: 'chart',
      title: `Attributed value by channel — ${lockedName} (locked)`,
      chart: {
        kind: 'bar',
        format: 'money',
        bars: locked.channels.map((c) => ({ label: c.channel, value: c.value })),
      },
    })
    const altKey = (i: number) => `alt${i}`
    sections.push({
      kind: 'table',
      title: 'Attribution by channel: the locked model, with the others beside it',
      columns: [
        { key: 'channel', label: 'Channel' },
        { key: 'conversions', label: `${lockedName} (locked): conversions`, format: 'number' },
        { key: 'value', label: `${lockedName} (locked): value`, format: 'money' },
        ...alternatives.map((r, i) => ({
          key: altKey(i),
          label: `${describeModel(r.model)}: value`,
          format: 'money' as const,
        })),
      ],
      rows: locked.channels.map((c) => ({
        channel: c.channel,
        conversions: c.conversions,
        value: c.value,
        ...Object.fromEntries(alternatives.map((r, i) => [altKey(i), r.byChannel[c.channel]?.value ?? null])),
      })),
      note:
        `The locked model was fixed in the Agreement before the period; the others are shown for comparison only. ` +
        `Unattributed: ${formatValue(locked.unattributed.conversions, 'number')} conversions, ` +
        `${formatValue(locked.unattributed.value, 'money', currency)}.`,
    })
  }

  if (data.dispositions) {
    const segment = data.segmentDimension ?? 'segment'
    const d = dispositionMetrics(data.dispositions, { period, by: segment })
    sections.push({
      kind: 'table',
      title: `Acceptance and top rejection reason by ${segment}`,
      columns: [
        { key: 'key', label: segment },
        { key: 'total', label: 'Dispositions', format: 'count' },
        { key: 'acceptance', label: 'Accepted', format: 'percent' },
        { key: 'rejection', label: 'Rejected', format: 'percent' },
        { key: 'reason', label: 'Top rejection reason' },
        { key: 'reasonShare', label: 'Its share of rejections', format: 'percent' },
      ],
      rows: d.groups.map((g) => ({
        key: g.key ?? '(unknown)',
        total: g.total,
        acceptance: g.acceptanceRate,
        rejection: g.rejectionRate,
        reason: g.rejectionReasons[0]?.code ?? null,
        reasonShare: g.rejectionReasons[0]?.share ?? null,
      })),
    })
  }

  return finishPack({
    kind: 'quarterly_icp',
    title: options.title ?? `Quarterly ICP review ${period.label}`,
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
