// The review pack as data: builders fill it from the metrics, renderers (Markdown, HTML) only lay it
// out. Every string in a pack may come from users (rep names, campaign names, reasons) and is escaped
// by the renderers, never by the builders.
import type { Period } from '../metrics/index.ts'

export type ReviewPackKind = 'weekly_pipeline' | 'monthly_sla_health' | 'quarterly_icp'

/** How a number reads: money in the pack's currency, percent from a fraction, days, business hours… */
export type ValueFormat = 'count' | 'money' | 'money_per_day' | 'percent' | 'days' | 'hours' | 'number'

/**
 * A headline number with the same number from the last pack. `change` = value − previous (for a
 * percent, in fraction points: 0.62 − 0.58 = 0.04 reads "+4.0 pts"); `changeRatio` = change / |previous|.
 */
export type Kpi = {
  id: string
  label: string
  format: ValueFormat
  value: number | null
  previous: number | null
  change: number | null
  changeRatio: number | null
  /** Whether a rise is good ('up': win rate) or bad ('down': time to first touch). */
  better: 'up' | 'down'
  target: number | null
}

export type Cell = string | number | null
/** A column without a format holds text. */
export type TableColumn = { key: string; label: string; format?: ValueFormat }

export type ChartSpec =
  | {
      kind: 'bar'
      format: ValueFormat
      bars: { label: string; value: number | null }[]
      /** A vertical reference line, e.g. the SLA compliance target. */
      reference?: { label: string; value: number }
    }
  | { kind: 'funnel'; steps: { label: string; value: number; note?: string }[] }
  | {
      kind: 'line'
      format: ValueFormat
      points: { label: string; value: number | null }[]
      /** A horizontal dashed line, e.g. the weekly share of the pipeline target. */
      target?: { label: string; value: number }
    }

export type PackSection =
  | { kind: 'kpis'; title: string; kpis: Kpi[] }
  | { kind: 'table'; title: string; columns: TableColumn[]; rows: Record<string, Cell>[]; note?: string }
  | { kind: 'chart'; title: string; chart: ChartSpec; note?: string }
  | { kind: 'list'; title: string; items: string[] }
  /** `preformatted` text (Agreement YAML) keeps its line breaks and is shown in a monospace block. */
  | { kind: 'text'; title: string; text: string; preformatted?: boolean }

/**
 * A follow-up agreed in a review. `tracked` items come from storage, `generated` ones from this
 * pack's numbers (ids are stable, so a regenerated pack does not duplicate them), `carried` ones
 * were open in the last pack and are not known to be closed.
 */
export type ActionItem = {
  id: string
  text: string
  owner: string | null
  dueAt: number | null
  status: 'open' | 'done'
  source: 'tracked' | 'generated' | 'carried'
}

export type PackAlert = {
  kind: 'drift' | 'pacing' | 'sla' | 'change'
  severity: 'info' | 'warning' | 'critical'
  text: string
}

export type ReviewPack = {
  kind: ReviewPackKind
  title: string
  period: Period
  generatedAt: number
  /** Currency label of money values (e.g. 'USD'); null prints bare numbers. */
  currency: string | null
  /** What the KPI changes compare with: the last pack, or (without one) the previous period computed afresh. */
  comparedWith: { kind: 'pack' | 'period'; label: string; generatedAt: number | null } | null
  sections: PackSection[]
  /** Open items, newest concerns first. */
  actionItems: ActionItem[]
  /** Items open in the last pack that are now done. */
  closedSinceLastPack: ActionItem[]
  driftAlerts: PackAlert[]
}

/** Options every builder takes. `now` stamps `generatedAt` and is the "now" of running clocks and pacing. */
export type BuildPackOptions = {
  period: Period
  /** The last pack of the same kind; its KPIs are the "previous" values and its open items carry over. */
  previous?: ReviewPack | null
  now: number
  currency?: string | null
  title?: string
}
