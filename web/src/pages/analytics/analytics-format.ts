/** How the analytics pages print the API's numbers and keys. Nothing here computes a metric. */
import { formatMoney, formatNumber, formatPercent, humanize } from '../../format.ts'

export const DASH = '—'

export const pct = (x: number | null | undefined): string => (x === null || x === undefined ? DASH : formatPercent(x))
export const money = (x: number | null | undefined): string => (x === null || x === undefined ? DASH : formatMoney(x))
export const num = (x: number | null | undefined): string => (x === null || x === undefined ? DASH : formatNumber(x))

/** 38.61 → "38.6 days" */
export const days = (x: number | null | undefined): string =>
  x === null || x === undefined ? DASH : `${(Math.round(x * 10) / 10).toLocaleString('en-US')} day${x === 1 ? '' : 's'}`

/** Business hours: 0.86 → "52 min", 4.12 → "4.1 h" (business time, as the SLA counts it). */
export const businessHours = (h: number | null | undefined): string => {
  if (h === null || h === undefined) return DASH
  if (h < 1) return `${Math.round(h * 60)} min`
  return `${(Math.round(h * 10) / 10).toLocaleString('en-US')} h`
}

/** Milliseconds of calendar time in a stage: "3.2 days", "5.1 h", "12 min". */
export const stageTime = (ms: number | null | undefined): string => {
  if (ms === null || ms === undefined) return DASH
  const h = ms / 3_600_000
  if (h >= 48) return days(h / 24)
  if (h >= 1) return `${(Math.round(h * 10) / 10).toLocaleString('en-US')} h`
  return `${Math.round(ms / 60_000)} min`
}

/** 0.0123 → "0.012", 1e-7 → "< 0.0001" */
export const pValue = (p: number): string => (p < 0.0001 ? '< 0.0001' : p.toPrecision(2))

/** Names for breakdown values: reps and teams by their Agreement names, a missing value as "(none)". */
export type Names = { reps: Map<string, string>; teams: Map<string, string> }

export function keyLabel(by: string | null, key: string | null, names?: Names): string {
  if (key === null) return '(none)'
  if (by === 'owner') return names?.reps.get(key) ?? key
  if (by === 'team') return names?.teams.get(key) ?? key
  return key
}

export const BREAKDOWN_LABELS: Record<string, string> = {
  source: 'Source',
  medium: 'Medium',
  campaign: 'Campaign',
  segment: 'Segment',
  industry: 'Industry',
  tier: 'Tier',
  team: 'Team',
  owner: 'Owner',
  employees_band: 'Head count',
  rule: 'Rule',
  channel: 'Channel',
}

export const breakdownLabel = (by: string): string => BREAKDOWN_LABELS[by] ?? humanize(by)

export const MODEL_LABELS: Record<string, string> = {
  first: 'First touch',
  last: 'Last touch',
  linear: 'Linear',
  time_decay: 'Time decay',
  u_shaped: 'U-shaped (40/20/40)',
  w_shaped: 'W-shaped',
  full_path: 'Full path',
  custom: 'Custom positions',
  markov: 'Markov (removal effect)',
}

export const modelLabel = (model: string): string => MODEL_LABELS[model] ?? humanize(model)

export const REVIEW_KIND_LABELS: Record<string, string> = {
  weekly_pipeline: 'Weekly pipeline review',
  monthly_sla_health: 'Monthly SLA health check',
  quarterly_icp: 'Quarterly ICP review',
}
