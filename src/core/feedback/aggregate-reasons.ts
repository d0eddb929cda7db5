export type DispositionOutcome = 'accepted' | 'rejected' | 'recycled'

/** One rep decision on a lead, with the segment dimensions captured when it was made. */
export type Disposition = {
  /** ISO-8601 instant or Date. */
  at: string | Date
  outcome: DispositionOutcome
  reasonCode: string | null
  dimensions: Record<string, string | null>
}

export type ReasonCount = { outcome: DispositionOutcome; reasonCode: string | null; count: number; share: number }

export type ReasonRow = {
  /** The group: one value per `by` dimension (null = unknown). */
  key: Record<string, string | null>
  total: number
  accepted: number
  rejected: number
  recycled: number
  acceptanceRate: number
  rejectionRate: number
  recycleRate: number
  /** Reject and recycle reasons, most frequent first; share is of the group's total. */
  reasons: ReasonCount[]
}

export type AggregateOptions = {
  /** Dimensions to group by, like SQL GROUP BY; [] gives one overall row. */
  by: readonly string[]
  /** Half-open window [from, to) on `at`; open when omitted. */
  from?: string | Date
  to?: string | Date
}

/**
 * Milliseconds since the epoch of an instant given as ISO text or Date; NaN when unparseable.
 *
 * @example toEpochMs('2026-10-01T00:00:00Z') // 1790812800000
 */
export function toEpochMs(at: string | Date): number {
  return typeof at === 'string' ? Date.parse(at) : at.getTime()
}

/**
 * Counts dispositions and their reject/recycle reasons per group of dimensions, with rates.
 * Rows sort by total, largest first, then by key.
 *
 * @example aggregateReasons(dispositions, { by: ['source'] })
 * // [{ key: { source: 'webinar' }, total: 52, rejected: 41, rejectionRate: 0.788, reasons: [{ reasonCode: 'too_small', count: 38, … }] }, …]
 */
export function aggregateReasons(dispositions: readonly Disposition[], options: AggregateOptions): ReasonRow[] {
  const from = options.from === undefined ? Number.NEGATIVE_INFINITY : toEpochMs(options.from)
  const to = options.to === undefined ? Number.POSITIVE_INFINITY : toEpochMs(options.to)
  const groups = new Map<string, { key: Record<string, string | null>; items: Disposition[] }>()
  for (const disposition of dispositions) {
    const at = toEpochMs(disposition.at)
    if (!(at >= from && at < to)) continue
    const key = Object.fromEntries(options.by.map((d) => [d, disposition.dimensions[d] ?? null]))
    const id = JSON.stringify(options.by.map((d) => key[d]))
    const group = groups.get(id) ?? { key, items: [] }
    group.items.push(disposition)
    groups.set(id, group)
  }
  const rows = [...groups.values()].map(({ key, items }): ReasonRow => {
    const count = (outcome: DispositionOutcome) => items.filter((d) => d.outcome === outcome).length
    const total = items.length
    const reasonCounts = new Map<string, ReasonCount>()
    for (const d of items) {
      if (d.outcome === 'accepted') continue
      const id = `${d.outcome}\u0000${d.reasonCode ?? ''}`
      const entry = reasonCounts.get(id) ?? { outcome: d.outcome, reasonCode: d.reasonCode, count: 0, share: 0 }
      entry.count++
      reasonCounts.set(id, entry)
    }
    const reasons = [...reasonCounts.values()]
      .map((r) => ({ ...r, share: r.count / total }))
      .sort((a, b) => b.count - a.count || String(a.reasonCode).localeCompare(String(b.reasonCode)))
    const accepted = count('accepted')
    const rejected = count('rejected')
    const recycled = count('recycled')
    return {
      key,
      total,
      accepted,
      rejected,
      recycled,
      acceptanceRate: accepted / total,
      rejectionRate: rejected / total,
      recycleRate: recycled / total,
      reasons,
    }
  })
  return rows.sort((a, b) => b.total - a.total || JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)))
}
