/** Count, mean, median and 90th percentile of a sample; the statistics are null for an empty sample. */
export type Summary = { count: number; mean: number | null; median: number | null; p90: number | null }

/**
 * The p-quantile (0 ≤ p ≤ 1) of values sorted ascending, by linear interpolation between order
 * statistics — R's default `quantile(type = 7)`, NumPy's 'linear', Excel's PERCENTILE.INC:
 * h = (n − 1)·p, q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). Null for an empty sample.
 * The caller sorts once; every quantile of one sample then costs O(1).
 *
 * @example quantileSorted([1, 2, 3, 4], 0.9) // 3.7 (h = 2.7: 3 + 0.7 × (4 − 3))
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length
  if (n === 0) return null
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be within [0, 1], got ${p}`)
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, n - 1)
  const a = sorted[lo]!
  return a + (h - lo) * (sorted[hi]! - a)
}

/**
 * Count, mean, median and p90 (R type 7, see quantileSorted) of a sample; NaN and ±Infinity are
 * not values and are left out. Does not reorder the input.
 *
 * @example summarize([5, 1, 3]) // { count: 3, mean: 3, median: 3, p90: 4.6 }
 */
export function summarize(values: ArrayLike<number>): Summary {
  const finite = new Float64Array(values.length)
  let n = 0
  let sum = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (Number.isFinite(v)) {
      finite[n++] = v
      sum += v
    }
  }
  if (n === 0) return { count: 0, mean: null, median: null, p90: null }
  const sorted = finite.subarray(0, n).sort()
  return { count: n, mean: sum / n, median: quantileSorted(sorted, 0.5), p90: quantileSorted(sorted, 0.9) }
}

/**
 * Expresses a summary in another unit by dividing every statistic (not the count), e.g. ms → hours.
 * Divides rather than multiplying by a reciprocal so whole units stay exact (6.75e6 ms → 1.875 h).
 *
 * @example summaryInUnits(summarize([1_800_000, 5_400_000]), 3_600_000).mean // 1
 */
export function summaryInUnits(summary: Summary, unit: number): Summary {
  const scale = (x: number | null) => (x === null ? null : x / unit)
  return { count: summary.count, mean: scale(summary.mean), median: scale(summary.median), p90: scale(summary.p90) }
}

/** a / b, or null when b is 0 (a rate of nothing is unknown, not 0). */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b
}
