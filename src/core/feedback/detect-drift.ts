import { adjustPValues } from '../stats/adjust-p-values.ts'
import { fisherExactTest } from '../stats/fisher-exact-test.ts'
import { twoProportionZTest } from '../stats/two-proportion-z-test.ts'
import { type Disposition, type DispositionOutcome, toEpochMs } from './aggregate-reasons.ts'

export type DriftMetric = 'rejection_rate' | 'recycle_rate' | 'acceptance_rate' | 'conversion_rate'

/** Events (`hits`) among `total` leads in one window, with the reason codes of the hits when known. */
export type WindowCounts = { hits: number; total: number; reasons?: Record<string, number> }

/** One segment's counts in the recent window and in its baseline (a disjoint earlier window). */
export type SegmentCounts = {
  dimension: string
  value: string
  metric: DriftMetric
  recent: WindowCounts
  baseline: WindowCounts
}

export type DriftOptions = {
  /** Family-wise (Holm) or false-discovery (BH) level. Default 0.05. */
  alpha?: number
  /** Default 'holm'. */
  correction?: 'holm' | 'benjamini_hochberg'
  /** Segments with fewer leads than this in either window are not tested. Default 20. */
  minSample?: number
  /** Below this smallest expected cell count the z-test is replaced by Fisher's exact test. Default 5. */
  minExpected?: number
  /** How the recent window reads in sentences, e.g. 'the last 4 weeks'. Default 'the recent window'. */
  windowLabel?: string
}

export type DriftTest = SegmentCounts & {
  test: 'two_proportion_z' | 'fisher_exact'
  recentRate: number
  baselineRate: number
  /** Pooled z (reported for Fisher too, as an effect size). */
  z: number
  p: number
  adjustedP: number
  direction: 'up' | 'down' | 'none'
}

export type DriftAlert = {
  kind: 'drift'
  dimension: string
  value: string
  metric: DriftMetric
  direction: 'up' | 'down'
  evidence: {
    recent: WindowCounts
    baseline: WindowCounts
    recentRate: number
    baselineRate: number
    test: 'two_proportion_z' | 'fisher_exact'
    z: number
    p: number
    adjustedP: number
    correction: 'holm' | 'benjamini_hochberg'
    alpha: number
  }
  /** The most frequent reason among the recent hits, when reasons were given. */
  dominantReason: { code: string; count: number } | null
  windowLabel: string
  sentence: string
}

export type DriftTesting = {
  tested: DriftTest[]
  skipped: { dimension: string; value: string; reason: 'small_sample' }[]
}

const METRIC_WORDS: Record<DriftMetric, string> = {
  rejection_rate: 'Rejection rate',
  recycle_rate: 'Recycle rate',
  acceptance_rate: 'Acceptance rate',
  conversion_rate: 'Conversion rate',
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`
const formatP = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3))

/**
 * Tests every segment with enough leads: a pooled two-proportion z-test of recent against baseline
 * rate (two-sided), or Fisher's exact test when an expected cell count is below `minExpected`; then
 * adjusts the p-values over all tested segments (Holm by default).
 *
 * @example testDrift([{ dimension: 'employees_band', value: '<50', metric: 'rejection_rate', recent: { hits: 41, total: 52 }, baseline: { hits: 30, total: 200 } }])
 */
export function testDrift(segments: readonly SegmentCounts[], options: DriftOptions = {}): DriftTesting {
  const minSample = options.minSample ?? 20
  const minExpected = options.minExpected ?? 5
  const skipped: DriftTesting['skipped'] = []
  const raw: Omit<DriftTest, 'adjustedP'>[] = []
  for (const segment of segments) {
    const { recent, baseline } = segment
    if (recent.total < minSample || baseline.total < minSample) {
      skipped.push({ dimension: segment.dimension, value: segment.value, reason: 'small_sample' })
      continue
    }
    const z = twoProportionZTest(recent, baseline)
    const n = recent.total + baseline.total
    const hits = recent.hits + baseline.hits
    const smallestExpected = (Math.min(recent.total, baseline.total) * Math.min(hits, n - hits)) / n
    const exact = smallestExpected < minExpected
    const p = exact
      ? fisherExactTest([
          [recent.hits, recent.total - recent.hits],
          [baseline.hits, baseline.total - baseline.hits],
        ]).p
      : z.p
    raw.push({
      ...segment,
      test: exact ? 'fisher_exact' : 'two_proportion_z',
      recentRate: z.p1,
      baselineRate: z.p2,
      z: z.z,
      p,
      direction: z.p1 > z.p2 ? 'up' : z.p1 < z.p2 ? 'down' : 'none',
    })
  }
  const adjusted = adjustPValues(
    raw.map((t) => t.p),
    options.correction ?? 'holm',
  )
  return { tested: raw.map((t, i) => ({ ...t, adjustedP: adjusted[i]! })), skipped }
}

/**
 * Raises an alert for each segment whose recent rate differs from its baseline beyond chance:
 * adjusted p < alpha after the multiple-comparison correction (see testDrift for the test). Each
 * alert carries the counts, rates, z, p, adjusted p, direction, dominant reason and a sentence.
 *
 * @example detectDrift(segments, { alpha: 0.05, correction: 'holm', windowLabel: 'the last 4 weeks' })[0].sentence
 * // 'Rejection rate of employees_band = <50 rose to 78.8% (41 of 52) in the last 4 weeks from 15.0% (30 of 200); …'
 */
export function detectDrift(segments: readonly SegmentCounts[], options: DriftOptions = {}): DriftAlert[] {
  const alpha = options.alpha ?? 0.05
  const correction = options.correction ?? 'holm'
  const windowLabel = options.windowLabel ?? 'the recent window'
  const correctionName = correction === 'holm' ? 'Holm' : 'Benjamini–Hochberg'
  return testDrift(segments, options)
    .tested.filter((t) => t.direction !== 'none' && t.adjustedP < alpha)
    .sort(
      (a, b) => a.adjustedP - b.adjustedP || a.dimension.localeCompare(b.dimension) || a.value.localeCompare(b.value),
    )
    .map((t): DriftAlert => {
      const direction = t.direction === 'up' ? 'up' : 'down'
      const reasons = Object.entries(t.recent.reasons ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      const dominant = reasons[0]
      const statistic = t.test === 'fisher_exact' ? "Fisher's exact test" : `two-proportion z = ${t.z.toFixed(2)}`
      const sentence =
        `${METRIC_WORDS[t.metric]} of ${t.dimension} = ${t.value} ${direction === 'up' ? 'rose' : 'fell'} to ` +
        `${percent(t.recentRate)} (${t.recent.hits} of ${t.recent.total}) in ${windowLabel} from ` +
        `${percent(t.baselineRate)} (${t.baseline.hits} of ${t.baseline.total}); ${statistic}, p = ${formatP(t.p)}, ` +
        `${correctionName}-adjusted p = ${formatP(t.adjustedP)} < ${alpha}` +
        (dominant ? `; most frequent reason ${dominant[0]} (${dominant[1]})` : '')
      return {
        kind: 'drift',
        dimension: t.dimension,
        value: t.value,
        metric: t.metric,
        direction,
        evidence: {
          recent: t.recent,
          baseline: t.baseline,
          recentRate: t.recentRate,
          baselineRate: t.baselineRate,
          test: t.test,
          z: t.z,
          p: t.p,
          adjustedP: t.adjustedP,
          correction,
          alpha,
        },
        dominantReason: dominant ? { code: dominant[0], count: dominant[1] } : null,
        windowLabel,
        sentence,
      }
    })
}

export type WindowBounds = { from: string | Date; to: string | Date }

const METRIC_OUTCOME: Record<Exclude<DriftMetric, 'conversion_rate'>, DispositionOutcome> = {
  rejection_rate: 'rejected',
  recycle_rate: 'recycled',
  acceptance_rate: 'accepted',
}

/**
 * Builds drift input from dispositions: for each value of each dimension, the leads and the hits
 * (dispositions with the metric's outcome) in the recent and baseline windows (half-open [from, to)),
 * with the hits' reason codes. Unknown (null) values are not a segment.
 *
 * @example countSegmentOutcomes(dispositions, { dimensions: ['employees_band', 'source'], metric: 'rejection_rate',
 *   recent: { from: '2026-10-05', to: '2026-11-02' }, baseline: { from: '2026-07-06', to: '2026-10-05' } })
 */
export function countSegmentOutcomes(
  dispositions: readonly Disposition[],
  options: {
    dimensions: readonly string[]
    metric: Exclude<DriftMetric, 'conversion_rate'>
    recent: WindowBounds
    baseline: WindowBounds
  },
): SegmentCounts[] {
  const outcome = METRIC_OUTCOME[options.metric]
  const windows = { recent: options.recent, baseline: options.baseline }
  const segments = new Map<string, SegmentCounts>()
  for (const disposition of dispositions) {
    const at = toEpochMs(disposition.at)
    for (const name of ['recent', 'baseline'] as const) {
      if (!(at >= toEpochMs(windows[name].from) && at < toEpochMs(windows[name].to))) continue
      for (const dimension of options.dimensions) {
        const value = disposition.dimensions[dimension]
        if (value === null || value === undefined) continue
        const id = JSON.stringify([dimension, value])
        const segment = segments.get(id) ?? {
          dimension,
          value,
          metric: options.metric,
          recent: { hits: 0, total: 0, reasons: {} },
          baseline: { hits: 0, total: 0, reasons: {} },
        }
        const counts = segment[name]
        counts.total++
        if (disposition.outcome === outcome) {
          counts.hits++
          if (disposition.reasonCode !== null) {
            counts.reasons![disposition.reasonCode] = (counts.reasons![disposition.reasonCode] ?? 0) + 1
          }
        }
        segments.set(id, segment)
      }
    }
  }
  return [...segments.values()].sort((a, b) => a.dimension.localeCompare(b.dimension) || a.value.localeCompare(b.value))
}
