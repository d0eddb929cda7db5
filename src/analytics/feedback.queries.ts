/**
 * The feedback loop over stored dispositions: rejection and recycle reasons by source, campaign, segment, ICP
 * criterion and rule (GET /v1/feedback/reasons), and drift — a segment whose recent rejection (or recycle, or
 * acceptance) rate moved beyond chance against its baseline — raised as alerts with the evidence and a proposed
 * Agreement amendment (GET /v1/feedback/drift). The statistics are the pure core's (src/core/feedback).
 */
import { findActiveAgreement } from '../agreement/active-agreement.ts'
import type { Ctx } from '../context.ts'
import { AppError } from '../core/errors.ts'
import {
  type Amendment,
  aggregateReasons,
  countSegmentOutcomes,
  type DriftAlert,
  type DriftMetric,
  describeSegments,
  detectDrift,
  ICP_DIMENSION_PREFIX,
  proposeAmendments,
  type ReasonRow,
  testDrift,
} from '../core/feedback/index.ts'
import { isoWeekLabel, type Period } from '../core/metrics/index.ts'
import { iso, loadAnalyticsSettings } from './analytics-settings.ts'
import { DISPOSITION_DIMENSIONS, loadDispositions } from './handoff.queries.ts'

const WEEK_MS = 7 * 86_400_000

/** Time dimensions of a disposition, for reasons over time: its ISO week ('2026-W47') and month ('2026-11'), UTC. */
export const REASON_TIME_DIMENSIONS = ['week', 'month'] as const

/** What `by` may name: the disposition dimensions, the segment dimensions, `icp:<criterion>`, week and month. */
function checkReasonDimensions(by: readonly string[], icpCriteria: readonly string[]): void {
  const known = new Set<string>([
    ...DISPOSITION_DIMENSIONS,
    ...Object.keys(describeSegments({})),
    ...REASON_TIME_DIMENSIONS,
    ...icpCriteria.map((c) => `${ICP_DIMENSION_PREFIX}${c}`),
  ])
  const issues = by.flatMap((b, i) =>
    known.has(b)
      ? []
      : [
          {
            path: `by[${i}]`,
            message: `expected one of ${[...known].filter((k) => !k.startsWith('icp:')).join(', ')} or icp:<criterion>`,
          },
        ],
  )
  if (issues.length > 0) throw new AppError('invalid_input', `cannot break reasons down by "${by.join(',')}"`, issues)
}

/**
 * Dispositions of the period grouped by `by` (dimensions, like SQL GROUP BY; `icp:<criterion>` allowed; `week` or
 * `month` for reasons over time), with acceptance, rejection and recycle rates and the reasons, most frequent first.
 *
 * @example await getReasons(ctx, 1, { period: parsePeriod('2026-Q4'), by: ['week'] }) // one row per ISO week
 */
export async function getReasons(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  options: { period: Period; by: readonly string[] },
): Promise<{ period: string; by: readonly string[]; total: number; rows: ReasonRow[] }> {
  const settings = await loadAnalyticsSettings(ctx, workspaceId, ctx.clock())
  checkReasonDimensions(options.by, settings.icpCriteria)
  const loaded = await loadDispositions(ctx, workspaceId, options.period, settings)
  const timed = options.by.some((b) => (REASON_TIME_DIMENSIONS as readonly string[]).includes(b))
  const dispositions = timed
    ? loaded.map((d) => {
        const at = new Date(d.at).getTime()
        return {
          ...d,
          dimensions: { ...d.dimensions, week: isoWeekLabel(at), month: new Date(at).toISOString().slice(0, 7) },
        }
      })
    : loaded
  return {
    period: options.period.label,
    by: options.by,
    total: dispositions.length,
    rows: aggregateReasons(dispositions, { by: options.by }),
  }
}

export type DriftView = {
  metric: Exclude<DriftMetric, 'conversion_rate'>
  recent: { from: string; to: string }
  baseline: { from: string; to: string }
  dimensions: string[]
  tested: number
  skipped: number
  alerts: (DriftAlert & { amendment: Amendment | null })[]
}

/**
 * Drift of every segment: the `recentWeeks` before `to` against the `baselineWeeks` before them (default 4 and 12),
 * Holm-corrected; each alert carries its counts, test, p-values and the amendment it proposes (null when the move
 * is favourable).
 *
 * @example (await getDrift(ctx, 1, { to: Date.now() })).alerts[0].sentence // 'Rejection rate of employees_band = <50 rose to 78.8% …'
 */
export async function getDrift(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  workspaceId: number,
  options: {
    to?: number
    recentWeeks?: number
    baselineWeeks?: number
    metric?: Exclude<DriftMetric, 'conversion_rate'>
    alpha?: number
    minSample?: number
  } = {},
): Promise<DriftView> {
  const now = ctx.clock()
  const to = options.to ?? now
  const recentWeeks = options.recentWeeks ?? 4
  const recent = { from: to - recentWeeks * WEEK_MS, to }
  const baseline = { from: recent.from - (options.baselineWeeks ?? 12) * WEEK_MS, to: recent.from }
  const metric = options.metric ?? 'rejection_rate'
  const settings = await loadAnalyticsSettings(ctx, workspaceId, now)
  const dispositions = await loadDispositions(ctx, workspaceId, { from: baseline.from, to }, settings)
  const dimensions = [
    ...DISPOSITION_DIMENSIONS.filter((d) => d !== 'owner'),
    ...settings.icpCriteria.map((c) => `${ICP_DIMENSION_PREFIX}${c}`),
  ]
  const isoWindow = (w: { from: number; to: number }) => ({ from: iso(w.from)!, to: iso(w.to)! })
  const segments = countSegmentOutcomes(dispositions, {
    dimensions,
    metric,
    recent: isoWindow(recent),
    baseline: isoWindow(baseline),
  })
  const driftOptions = {
    alpha: options.alpha,
    minSample: options.minSample,
    windowLabel: `the last ${recentWeeks} week${recentWeeks === 1 ? '' : 's'}`,
  }
  const testing = testDrift(segments, driftOptions)
  const alerts = detectDrift(segments, driftOptions)
  const agreement = await findActiveAgreement(ctx, workspaceId, now)
  const criterionPoints = Object.fromEntries((agreement?.document.icp.fit ?? []).map((c) => [c.name, c.points]))
  const amendments = proposeAmendments(alerts, { criterionPoints, windowLabel: `${recentWeeks} weeks` })
  return {
    metric,
    recent: isoWindow(recent),
    baseline: isoWindow(baseline),
    dimensions,
    tested: testing.tested.length,
    skipped: testing.skipped.length,
    alerts: alerts.map((a) => ({ ...a, amendment: amendments.find((m) => m.alert === a) ?? null })),
  }
}
