import { compareKeys, type GroupKey, groupBy } from './group-by.ts'
import { ratio, type Summary, summarize } from './percentile.ts'

const DAY_MS = 86_400_000

/**
 * An opportunity as the metrics read it. `closedAt` is null while open. `owner` is the rep; `dims`
 * the breakdown dimensions (source, campaign, segment, team, fit band…). The optional fields are
 * shown in review packs (top new opportunities, stalled deals).
 */
export type OpportunityRecord = {
  id: string
  amount: number
  createdAt: number
  closedAt: number | null
  isClosed: boolean
  isWon: boolean
  owner?: string | null
  dims: Readonly<Record<string, string | null>>
  name?: string
  account?: string | null
  stage?: string
  /** Last activity or stage change; stalled deals are open ones without activity for a while. */
  lastActivityAt?: number | null
}

export type OpportunityMetricsOptions = {
  period: { from: number; to: number }
  /** A key of `dims`, or 'owner' (read from `owner` when `dims` has no owner). */
  by?: string
}

/**
 * Pipeline velocity in value per day:
 *   velocity = (open opportunities × win rate × average deal size) / average sales cycle length in days
 * open = opportunities open at the end of the period (created before `to`, not closed before `to`);
 * win rate, average deal size and average (mean) cycle are those of the period. Null when a factor is unknown.
 */
export type Velocity = {
  perDay: number | null
  openCount: number
  openAmount: number
  winRate: number | null
  avgDealSize: number | null
  avgCycleDays: number | null
  formula: string
}

export type OpportunityStats = {
  /** Opportunities created in the period (pipeline created). */
  created: { count: number; amount: number }
  /** Closed won in the period; `amount` is bookings. */
  won: { count: number; amount: number }
  /** Closed lost in the period. */
  lost: { count: number; amount: number }
  /** won / (won + lost) by count, over opportunities closed in the period; null when none closed. */
  winRate: number | null
  /** Mean amount of the won opportunities; null when none won. */
  avgDealSize: number | null
  /** Sales cycle of the won opportunities, closedAt − createdAt in days (fractional), R-7 quantiles. */
  cycleDays: Summary
  /** The same for the lost opportunities (how long losing takes). */
  lostCycleDays: Summary
  velocity: Velocity
}

export type OpportunityMetrics = OpportunityStats & {
  period: { from: number; to: number }
  by: string | null
  /** One group per value of `by`, alphabetical, unknown (null) last; empty without `by`. */
  groups: (OpportunityStats & { key: GroupKey })[]
}

export const VELOCITY_FORMULA =
  'velocity (per day) = open opportunities at period end × win rate × average won deal size ÷ mean won sales cycle (days)'

/** The breakdown value of an opportunity: `dims[by]`, or its owner for 'owner'. */
export function opportunityDimension(opp: OpportunityRecord, by: string): string | null {
  const value = opp.dims[by]
  if (value !== undefined) return value
  return by === 'owner' ? (opp.owner ?? null) : null
}

/**
 * Opportunity metrics for a period, overall and per value of `by`: pipeline created (count and
 * amount, by createdAt in [from, to)), won (bookings) and lost (by closedAt in [from, to)), win rate
 * by count = won / (won + lost), average won deal size, won and lost cycle days (mean, median, p90;
 * R type 7) and pipeline velocity (VELOCITY_FORMULA).
 *
 * @example opportunityMetrics(opps, { period: parsePeriod('2026-Q4'), by: 'source' }).winRate // 0.63
 */
export function opportunityMetrics(
  opps: readonly OpportunityRecord[],
  options: OpportunityMetricsOptions,
): OpportunityMetrics {
  const by = options.by ?? null
  const groups =
    by === null
      ? []
      : [...groupBy(opps, (o) => opportunityDimension(o, by)).entries()]
          .sort((a, b) => compareKeys(a[0], b[0]))
          .map(([key, members]) => ({ key, ...measureOpportunities(members, options.period) }))
  return {
    period: { from: options.period.from, to: options.period.to },
    by,
    ...measureOpportunities(opps, options.period),
    groups,
  }
}

function measureOpportunities(
  opps: readonly OpportunityRecord[],
  period: { from: number; to: number },
): OpportunityStats {
  const { from, to } = period
  let createdCount = 0
  let createdAmount = 0
  let wonAmount = 0
  let lostCount = 0
  let lostAmount = 0
  let openCount = 0
  let openAmount = 0
  const wonCycles: number[] = []
  const lostCycles: number[] = []
  for (const o of opps) {
    if (o.createdAt >= from && o.createdAt < to) {
      createdCount++
      createdAmount += o.amount
    }
    const closedAt = o.isClosed ? o.closedAt : null
    if (closedAt !== null && closedAt >= from && closedAt < to) {
      const days = (closedAt - o.createdAt) / DAY_MS
      if (o.isWon) {
        wonAmount += o.amount
        wonCycles.push(days)
      } else {
        lostCount++
        lostAmount += o.amount
        lostCycles.push(days)
      }
    }
    // A closed record without a close instant is closed at an unknown time: neither open nor in any period.
    if (o.createdAt < to && (!o.isClosed || (closedAt !== null && closedAt >= to))) {
      openCount++
      openAmount += o.amount
    }
  }
  const wonCount = wonCycles.length
  const winRate = ratio(wonCount, wonCount + lostCount)
  const avgDealSize = ratio(wonAmount, wonCount)
  const cycleDays = summarize(wonCycles)
  const avgCycleDays = cycleDays.mean
  const perDay =
    winRate === null || avgDealSize === null || avgCycleDays === null || avgCycleDays <= 0
      ? null
      : (openCount * winRate * avgDealSize) / avgCycleDays
  return {
    created: { count: createdCount, amount: createdAmount },
    won: { count: wonCount, amount: wonAmount },
    lost: { count: lostCount, amount: lostAmount },
    winRate,
    avgDealSize,
    cycleDays,
    lostCycleDays: summarize(lostCycles),
    velocity: { perDay, openCount, openAmount, winRate, avgDealSize, avgCycleDays, formula: VELOCITY_FORMULA },
  }
}
