import { compareKeys, type GroupKey, groupBy } from './group-by.ts'
import { ratio } from './percentile.ts'

/** An SLA clock as the metrics read it (see src/core/sla SlaClock for the states). */
export type SlaClockRecord = {
  state: 'met' | 'breached' | 'running' | 'paused' | 'cancelled'
  /** Met after dueAt. */
  late?: boolean
  /** Set when the clock breached (a cancelled clock may have breached first). */
  breachedAt?: number | null
  tier: string | null
  team: string | null
  owner: string | null
  /** Null while paused; Infinity when the calendar never opens long enough. */
  dueAt: number | null
}

/** How one clock counts. */
export type SlaOutcome = 'met_in_time' | 'met_late' | 'breached' | 'pending' | 'cancelled'

export type SlaComplianceRow = {
  key: GroupKey
  clocks: number
  metInTime: number
  metLate: number
  /** Breached without a touch: state breached, a running clock past due at `now`, or cancelled after breaching. */
  breached: number
  /** Running and not yet due, or paused: not decided yet, outside the rate. */
  pending: number
  /** Cancelled before breaching (disqualified, recycled, reassigned in time): outside the rate. */
  cancelled: number
  /** metInTime / (metInTime + metLate + breached); null when no clock is decided. */
  compliance: number | null
}

export type SlaCompliance = {
  overall: SlaComplianceRow
  byTier: SlaComplianceRow[]
  byTeam: SlaComplianceRow[]
  byOwner: SlaComplianceRow[]
  convention: string
}

export const SLA_COMPLIANCE_CONVENTION =
  'compliance = met within SLA / (met within SLA + met late + breached). Met within SLA is a met clock that is not ' +
  'late (a touch exactly at the due instant is in time). A running clock whose due instant has passed at `now` counts ' +
  'as breached even if the breach timer has not fired yet; a cancelled clock counts as breached when it breached ' +
  'before cancellation. Running clocks not yet due, paused clocks and clocks cancelled in time are left out.'

/**
 * Classifies one clock at `now` with the calendar/SLA module's semantics (met && !late is compliant).
 *
 * @example classifySlaClock({ state: 'running', dueAt: 100, tier: null, team: null, owner: null }, 200) // 'breached'
 */
export function classifySlaClock(clock: SlaClockRecord, now: number): SlaOutcome {
  switch (clock.state) {
    case 'met':
      return clock.late === true ? 'met_late' : 'met_in_time'
    case 'breached':
      return 'breached'
    case 'running':
      return clock.dueAt !== null && clock.dueAt < now ? 'breached' : 'pending'
    case 'paused':
      return 'pending'
    case 'cancelled':
      return clock.breachedAt !== null && clock.breachedAt !== undefined ? 'breached' : 'cancelled'
  }
}

/**
 * SLA compliance overall and by tier, team and rep (SLA_COMPLIANCE_CONVENTION, returned as
 * `convention`). With a period, only clocks due in [from, to) count (a paused clock has no due
 * instant and is then left out).
 *
 * @example slaCompliance(clocks, { now, period: parsePeriod('2026-11') }).byTier // [{ key: 'hot', compliance: 0.92, … }, …]
 */
export function slaCompliance(
  clocks: readonly SlaClockRecord[],
  options: { now: number; period?: { from: number; to: number } },
): SlaCompliance {
  const { now, period } = options
  const selected =
    period === undefined
      ? clocks
      : clocks.filter((c) => c.dueAt !== null && c.dueAt >= period.from && c.dueAt < period.to)
  const rows = (keyOf: (c: SlaClockRecord) => string | null) =>
    [...groupBy(selected, keyOf).entries()]
      .sort((a, b) => compareKeys(a[0], b[0]))
      .map(([key, members]) => measureCompliance(key, members, now))
  return {
    overall: measureCompliance(null, selected, now),
    byTier: rows((c) => c.tier),
    byTeam: rows((c) => c.team),
    byOwner: rows((c) => c.owner),
    convention: SLA_COMPLIANCE_CONVENTION,
  }
}

function measureCompliance(key: GroupKey, clocks: readonly SlaClockRecord[], now: number): SlaComplianceRow {
  const counts: Record<SlaOutcome, number> = { met_in_time: 0, met_late: 0, breached: 0, pending: 0, cancelled: 0 }
  for (const clock of clocks) counts[classifySlaClock(clock, now)]++
  return {
    key,
    clocks: clocks.length,
    metInTime: counts.met_in_time,
    metLate: counts.met_late,
    breached: counts.breached,
    pending: counts.pending,
    cancelled: counts.cancelled,
    compliance: ratio(counts.met_in_time, counts.met_in_time + counts.met_late + counts.breached),
  }
}
