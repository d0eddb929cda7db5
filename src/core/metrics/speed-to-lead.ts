import { compareKeys, type GroupKey, groupBy } from './group-by.ts'
import { type Summary, summarize, summaryInUnits } from './percentile.ts'

const HOUR_MS = 3_600_000

/**
 * One handoff of a lead to a rep. `businessMsToTouch` is the business time from handoff to first
 * touch in the owner's calendar (calendar module's `businessTimeBetween`), null while untouched.
 */
export type HandoffRecord = {
  handedOffAt: number
  firstTouchAt: number | null
  businessMsToTouch: number | null
  tier: string | null
  team: string | null
  owner: string | null
}

export type SpeedToLeadRow = {
  key: GroupKey
  handoffs: number
  touched: number
  untouched: number
  /** First-touch time of the touched handoffs in business hours: mean, median, p90 (R type 7). */
  businessHours: Summary
}

export type SpeedToLead = {
  period: { from: number; to: number } | null
  overall: SpeedToLeadRow
  byTier: SpeedToLeadRow[]
  byTeam: SpeedToLeadRow[]
  byOwner: SpeedToLeadRow[]
}

/**
 * Speed-to-lead: first-touch time in business hours (median, p90, mean) of the handoffs made in the
 * period (handedOffAt in [from, to); all when no period), overall and by tier, team and owner.
 * Untouched handoffs are counted, not timed: their time is still growing (SLA compliance judges them).
 *
 * @example speedToLead(handoffs, { period: parsePeriod('2026-11') }).overall.businessHours.median // 0.75
 */
export function speedToLead(
  handoffs: readonly HandoffRecord[],
  options: { period?: { from: number; to: number } } = {},
): SpeedToLead {
  const period = options.period ?? null
  const inPeriod =
    period === null ? handoffs : handoffs.filter((h) => h.handedOffAt >= period.from && h.handedOffAt < period.to)
  const rows = (keyOf: (h: HandoffRecord) => string | null) =>
    [...groupBy(inPeriod, keyOf).entries()]
      .sort((a, b) => compareKeys(a[0], b[0]))
      .map(([key, members]) => measureSpeed(key, members))
  return {
    period: period === null ? null : { from: period.from, to: period.to },
    overall: measureSpeed(null, inPeriod),
    byTier: rows((h) => h.tier),
    byTeam: rows((h) => h.team),
    byOwner: rows((h) => h.owner),
  }
}

function measureSpeed(key: GroupKey, handoffs: readonly HandoffRecord[]): SpeedToLeadRow {
  const times: number[] = []
  let untouched = 0
  for (const h of handoffs) {
    if (h.firstTouchAt === null) untouched++
    else if (h.businessMsToTouch !== null) times.push(h.businessMsToTouch)
  }
  return {
    key,
    handoffs: handoffs.length,
    touched: handoffs.length - untouched,
    untouched,
    businessHours: summaryInUnits(summarize(times), HOUR_MS),
  }
}
