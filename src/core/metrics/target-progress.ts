import { parsePeriod } from './period.ts'

/** The shared targets of one Agreement period (as in the Agreement's `targets`; sla_compliance a fraction). */
export type TargetSet = {
  period: string
  pipeline?: number
  bookings?: number
  mqls?: number
  sqls?: number
  opportunities?: number
  sla_compliance?: number
}

export type TargetMetric = Exclude<keyof TargetSet, 'period'>

/** Period-to-date actuals for the same metrics (sla_compliance a fraction, or null when nothing decided). */
export type TargetActuals = Partial<Record<TargetMetric, number | null>>

export type TargetStatus = 'ahead' | 'on_track' | 'behind'

export type TargetLine = {
  metric: TargetMetric
  actual: number | null
  target: number
  /** actual / target (for sla_compliance too). Null when the actual is unknown or the target is 0. */
  share: number | null
  /** Share the target expects by now: elapsed / length of the period, clamped to [0, 1]; 1 for sla_compliance. */
  expectedShare: number
  status: TargetStatus
  /** actual ≥ target (the whole commitment, e.g. marketing's MQL volume). */
  met: boolean
  reason: string
}

export type TargetProgress = { period: string; from: number; to: number; elapsed: number; lines: TargetLine[] }

const CUMULATIVE: readonly TargetMetric[] = ['pipeline', 'bookings', 'mqls', 'sqls', 'opportunities']

export const PACING_RULE =
  'Cumulative targets (pipeline, bookings, MQLs, SQLs, opportunities) pace linearly: by now the target expects ' +
  'elapsed ÷ period length of itself. ahead when share ≥ expected × (1 + tolerance), behind when share < expected × ' +
  '(1 − tolerance), else on track. SLA compliance is a rate: its expected share is 1 at any time.'

const pct = (x: number) => `${(100 * x).toFixed(1)}%`

/**
 * Progress against the Agreement's shared targets for one period: for each target present, actual,
 * target, share, expected-by-now share (linear pacing through the period) and status; `met` says
 * whether the commitment is reached (marketing's volume commitment is `mqls`). Default tolerance 0.05.
 *
 * @example targetProgress({ pipeline: 1_500_000 }, { period: '2026-Q4', pipeline: 3_000_000 }, { now: Date.UTC(2026, 10, 16) }).lines[0]
 * // { metric: 'pipeline', share: 0.5, expectedShare: 0.5, status: 'on_track', met: false, … }
 */
export function targetProgress(
  actuals: TargetActuals,
  targets: TargetSet,
  options: { now: number; tolerance?: number },
): TargetProgress {
  const tolerance = options.tolerance ?? 0.05
  const period = parsePeriod(targets.period)
  const elapsed = Math.min(1, Math.max(0, (options.now - period.from) / (period.to - period.from)))
  const lines: TargetLine[] = []
  for (const metric of [...CUMULATIVE, 'sla_compliance'] as const) {
    const target = targets[metric]
    if (target === undefined) continue
    const actual = actuals[metric] ?? null
    const expectedShare = metric === 'sla_compliance' ? 1 : elapsed
    const share = actual === null || target === 0 ? null : actual / target
    const met = actual !== null && actual >= target
    let status: TargetStatus
    if (target === 0 || expectedShare === 0) status = met && (actual ?? 0) > 0 ? 'ahead' : 'on_track'
    else if (share === null) status = 'behind'
    else if (share >= expectedShare * (1 + tolerance)) status = 'ahead'
    else if (share < expectedShare * (1 - tolerance)) status = 'behind'
    else status = 'on_track'
    const reason =
      share === null
        ? `${metric}: no actual yet against a target of ${target}`
        : `${metric}: ${pct(share)} of target with ${pct(expectedShare)} expected by now → ${status.replace('_', ' ')}`
    lines.push({ metric, actual, target, share, expectedShare, status, met, reason })
  }
  return { period: targets.period, from: period.from, to: period.to, elapsed, lines }
}
