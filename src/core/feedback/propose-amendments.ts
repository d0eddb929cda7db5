import { stringify } from 'yaml'
import { EMPLOYEE_BANDS, ICP_DIMENSION_PREFIX } from './describe-segments.ts'
import type { DriftAlert } from './detect-drift.ts'

type AmendmentBase = {
  /** Counts behind the proposal, e.g. '41 of 52 such leads rejected as too_small in 4 weeks'. */
  evidence: string
  alert: DriftAlert
  /** The change as Agreement YAML, for review before anyone signs it. */
  yaml: string
}

export type Amendment =
  | (AmendmentBase & { kind: 'add_disqualifier'; name: string; when: string; reason: string })
  | (AmendmentBase & { kind: 'add_fit_penalty'; name: string; when: string; points: number })
  | (AmendmentBase & { kind: 'exclude_source'; dimension: string; value: string; when: string; reason: string })
  | (AmendmentBase & {
      kind: 'lower_intent_points'
      dimension: string
      value: string
      when: string
      multiplier: number
    })
  | (AmendmentBase & { kind: 'lower_fit_points'; criterion: string; multiplier: number; points: number | null })

export type AmendmentContext = {
  /** How the recent window reads in evidence, e.g. '4 weeks'. Default: the alert's window label. */
  windowLabel?: string
  /** Dimension → CEL field. Defaults: employees_band → account.employees, industry → account.industry,
   * country → account.country, region → account.region, source → lead.source, campaign → lead.campaign. */
  fields?: Readonly<Record<string, string>>
  /** A firmographic segment becomes a disqualifier when its recent rejection rate reaches this and a reason dominates (default 0.6). */
  disqualifyAtRate?: number
  /** A source or campaign is proposed for exclusion at this recent rejection rate (default 0.8). */
  excludeAtRate?: number
  /** Current points of each ICP fit criterion by name, to turn a multiplier into new points. */
  criterionPoints?: Readonly<Record<string, number>>
}

const DEFAULT_FIELDS: Record<string, string> = {
  employees_band: 'account.employees',
  industry: 'account.industry',
  country: 'account.country',
  region: 'account.region',
  source: 'lead.source',
  campaign: 'lead.campaign',
}
const FIRMOGRAPHIC = new Set(['employees_band', 'industry', 'country', 'region'])
const CHANNEL = new Set(['source', 'campaign'])

/**
 * The CEL condition selecting a segment: employee bands become ranges, other dimensions equality.
 *
 * @example segmentCondition('employees_band', '50-199', {}) // 'account.employees >= 50 && account.employees < 200'
 */
export function segmentCondition(dimension: string, value: string, fields: Readonly<Record<string, string>>): string {
  const field = fields[dimension] ?? DEFAULT_FIELDS[dimension] ?? dimension
  if (dimension === 'employees_band') {
    const band = EMPLOYEE_BANDS.find((b) => b.label === value)
    if (band) {
      if (band.min === 0) return `${field} < ${band.max}`
      if (band.max === null) return `${field} >= ${band.min}`
      return `${field} >= ${band.min} && ${field} < ${band.max}`
    }
  }
  return `${field} == ${JSON.stringify(value)}`
}

const segmentName = (dimension: string, value: string) =>
  dimension === 'employees_band' ? `employees ${value}` : `${dimension} ${value}`

const toYaml = (value: unknown) => stringify(value, { lineWidth: 0 })

/**
 * Proposes Agreement changes for adverse drift alerts (rejection or recycle rate up, acceptance or
 * conversion rate down); favourable drift proposes nothing. Rules:
 * - a firmographic segment (employee band, industry, country, region) whose recent rejection rate
 *   is ≥ disqualifyAtRate with a dominant reason → add_disqualifier with that reason; otherwise
 *   add_fit_penalty of −max(5, round(50 × rise in rate)) points;
 * - a source or campaign → exclude_source at ≥ excludeAtRate, else lower_intent_points by the ratio
 *   of recent to baseline acceptance (1 − rate), rounded to 0.05;
 * - an ICP criterion whose matched leads drift → lower_fit_points by the same ratio.
 *
 * @example proposeAmendments(alerts, { windowLabel: '4 weeks' })[0]
 * // { kind: 'add_disqualifier', when: 'account.employees < 50', reason: 'too_small',
 * //   evidence: '41 of 52 such leads rejected as too_small in 4 weeks', yaml: 'icp:\n  disqualify: …' }
 */
export function proposeAmendments(alerts: readonly DriftAlert[], context: AmendmentContext = {}): Amendment[] {
  const fields = context.fields ?? {}
  const disqualifyAtRate = context.disqualifyAtRate ?? 0.6
  const excludeAtRate = context.excludeAtRate ?? 0.8
  const amendments: Amendment[] = []
  for (const alert of alerts) {
    const badRate = alert.metric === 'rejection_rate' || alert.metric === 'recycle_rate'
    if ((badRate && alert.direction !== 'up') || (!badRate && alert.direction !== 'down')) continue
    const { recent, baseline, recentRate, baselineRate } = alert.evidence
    const window = context.windowLabel ?? alert.windowLabel
    const verb =
      alert.metric === 'rejection_rate'
        ? 'rejected'
        : alert.metric === 'recycle_rate'
          ? 'recycled'
          : alert.metric === 'acceptance_rate'
            ? 'accepted'
            : 'converted'
    const evidence = alert.dominantReason
      ? `${alert.dominantReason.count} of ${recent.total} such leads ${verb} as ${alert.dominantReason.code} in ${window}`
      : `${recent.hits} of ${recent.total} such leads ${verb} in ${window} (before: ${baseline.hits} of ${baseline.total})`
    // Worsening expressed as a share of leads lost: the rise in a bad rate or the fall in a good one.
    const rise = badRate ? recentRate - baselineRate : baselineRate - recentRate
    const goodRecent = badRate ? 1 - recentRate : recentRate
    const goodBaseline = badRate ? 1 - baselineRate : baselineRate
    const multiplier = goodBaseline > 0 ? Math.max(0, Math.round((goodRecent / goodBaseline) * 20) / 20) : 0
    const when = segmentCondition(alert.dimension, alert.value, fields)
    const name = segmentName(alert.dimension, alert.value)
    if (FIRMOGRAPHIC.has(alert.dimension)) {
      if (alert.metric === 'rejection_rate' && recentRate >= disqualifyAtRate && alert.dominantReason) {
        const reason = alert.dominantReason.code
        amendments.push({
          kind: 'add_disqualifier',
          name,
          when,
          reason,
          evidence,
          alert,
          yaml: toYaml({ icp: { disqualify: [{ name, when, reason }] } }),
        })
      } else {
        const points = -Math.max(5, Math.round(50 * rise))
        amendments.push({
          kind: 'add_fit_penalty',
          name,
          when,
          points,
          evidence,
          alert,
          yaml: toYaml({ icp: { fit: [{ name, when, points }] } }),
        })
      }
    } else if (CHANNEL.has(alert.dimension)) {
      if (badRate && recentRate >= excludeAtRate) {
        const reason = alert.dominantReason?.code ?? `excluded_${alert.dimension}`
        amendments.push({
          kind: 'exclude_source',
          dimension: alert.dimension,
          value: alert.value,
          when,
          reason,
          evidence,
          alert,
          yaml: toYaml({ icp: { disqualify: [{ name: `Exclude ${name}`, when, reason }] } }),
        })
      } else {
        amendments.push({
          kind: 'lower_intent_points',
          dimension: alert.dimension,
          value: alert.value,
          when,
          multiplier,
          evidence,
          alert,
          yaml: toYaml({ intent: { adjust: [{ name: `Lower ${name}`, when, multiplier }] } }),
        })
      }
    } else if (alert.dimension.startsWith(ICP_DIMENSION_PREFIX) && alert.value === 'matched') {
      const criterion = alert.dimension.slice(ICP_DIMENSION_PREFIX.length)
      const current = context.criterionPoints?.[criterion]
      const points = current === undefined ? null : Math.round(current * multiplier)
      amendments.push({
        kind: 'lower_fit_points',
        criterion,
        multiplier,
        points,
        evidence,
        alert,
        yaml: toYaml({
          icp: {
            fit: [points === null ? { name: criterion, points_multiplier: multiplier } : { name: criterion, points }],
          },
        }),
      })
    }
  }
  return amendments
}
