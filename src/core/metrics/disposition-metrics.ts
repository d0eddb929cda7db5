import { compareKeys, type GroupKey, groupBy } from './group-by.ts'
import { ratio } from './percentile.ts'

/** A rep's decision on a handed-off lead, with the dimensions it is broken down by. */
export type DispositionRecord = {
  at: number
  outcome: 'accepted' | 'rejected' | 'recycled'
  reasonCode: string | null
  dims?: Readonly<Record<string, string | null>>
}

export type ReasonShare = {
  /** Null when no reason was recorded (older data; the Agreement now requires one). */
  code: string | null
  count: number
  /** Of the dispositions with this outcome (rejections or recycles). */
  share: number
  /** Of all dispositions in the group. */
  shareOfAll: number
}

export type DispositionRow = {
  key: GroupKey
  total: number
  accepted: number
  rejected: number
  recycled: number
  /** accepted / total; null when no dispositions. */
  acceptanceRate: number | null
  rejectionRate: number | null
  recycleRate: number | null
  /** Most frequent first, then by code. */
  rejectionReasons: ReasonShare[]
  recycleReasons: ReasonShare[]
}

export type DispositionMetrics = { by: string | null; overall: DispositionRow; groups: DispositionRow[] }

/**
 * Acceptance rate (accepted / all dispositions) and the rejection and recycle reasons with their
 * shares, for dispositions made in the period (`at` in [from, to); all when none), overall and per
 * value of `dims[by]`.
 *
 * @example dispositionMetrics(ds, { by: 'source' }).overall.rejectionReasons[0] // { code: 'too_small', count: 38, share: 0.5, shareOfAll: 0.2 }
 */
export function dispositionMetrics(
  dispositions: readonly DispositionRecord[],
  options: { period?: { from: number; to: number }; by?: string } = {},
): DispositionMetrics {
  const { period } = options
  const by = options.by ?? null
  const selected =
    period === undefined ? dispositions : dispositions.filter((d) => d.at >= period.from && d.at < period.to)
  const groups =
    by === null
      ? []
      : [...groupBy(selected, (d) => d.dims?.[by]).entries()]
          .sort((a, b) => compareKeys(a[0], b[0]))
          .map(([key, members]) => measureDispositions(key, members))
  return { by, overall: measureDispositions(null, selected), groups }
}

function measureDispositions(key: GroupKey, dispositions: readonly DispositionRecord[]): DispositionRow {
  let accepted = 0
  const rejected = new Map<string | null, number>()
  const recycled = new Map<string | null, number>()
  for (const d of dispositions) {
    if (d.outcome === 'accepted') accepted++
    else {
      const counts = d.outcome === 'rejected' ? rejected : recycled
      counts.set(d.reasonCode, (counts.get(d.reasonCode) ?? 0) + 1)
    }
  }
  const total = dispositions.length
  const sum = (m: Map<string | null, number>) => [...m.values()].reduce((a, b) => a + b, 0)
  const rejectedCount = sum(rejected)
  const recycledCount = sum(recycled)
  const shares = (m: Map<string | null, number>, outcomeTotal: number): ReasonShare[] =>
    [...m.entries()]
      .map(([code, count]) => ({ code, count, share: count / outcomeTotal, shareOfAll: count / total }))
      .sort((a, b) => b.count - a.count || compareKeys(a.code, b.code))
  return {
    key,
    total,
    accepted,
    rejected: rejectedCount,
    recycled: recycledCount,
    acceptanceRate: ratio(accepted, total),
    rejectionRate: ratio(rejectedCount, total),
    recycleRate: ratio(recycledCount, total),
    rejectionReasons: shares(rejected, rejectedCount),
    recycleReasons: shares(recycled, recycledCount),
  }
}
