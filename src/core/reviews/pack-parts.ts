// Pieces every pack builder shares: KPIs with their previous values, the comparison baseline, action
// items merged across packs, and feedback drift alerts as pack alerts.
import type { DriftAlert } from '../feedback/index.ts'
import { type Period, previousPeriod } from '../metrics/index.ts'
import type { ActionItem, BuildPackOptions, Kpi, PackAlert, ReviewPack, ValueFormat } from './review-pack-types.ts'

export type KpiDefinition = { id: string; label: string; format: ValueFormat; better: 'up' | 'down' }

/**
 * Builds the KPI list: values for this period and previous values from the last pack (matched by
 * id), or, without a last pack, from `previousValues` (the same metrics over the previous period).
 *
 * @example makeKpis(defs, { win_rate: 0.62 }, { win_rate: 0.58 }, null)[0] // { id: 'win_rate', value: 0.62, previous: 0.58, change: 0.04, … }
 */
export function makeKpis(
  definitions: readonly KpiDefinition[],
  values: Readonly<Record<string, number | null>>,
  previousValues: Readonly<Record<string, number | null>> | null,
  previousPack: ReviewPack | null,
  targets: Readonly<Record<string, number | null>> = {},
): Kpi[] {
  const packKpis = new Map<string, Kpi>()
  for (const section of previousPack?.sections ?? []) {
    if (section.kind === 'kpis') for (const kpi of section.kpis) packKpis.set(kpi.id, kpi)
  }
  return definitions.map((d) => {
    const value = values[d.id] ?? null
    const previous = previousPack ? (packKpis.get(d.id)?.value ?? null) : (previousValues?.[d.id] ?? null)
    const change = value === null || previous === null ? null : value - previous
    const changeRatio = change === null || previous === null || previous === 0 ? null : change / Math.abs(previous)
    return { ...d, value, previous, change, changeRatio, target: targets[d.id] ?? null }
  })
}

/** What the KPI changes compare with, and the period to compute previous values over when there is no last pack. */
export function comparisonBaseline(options: BuildPackOptions): {
  comparedWith: ReviewPack['comparedWith']
  previousPeriod: Period | null
} {
  if (options.previous) {
    return {
      comparedWith: { kind: 'pack', label: options.previous.period.label, generatedAt: options.previous.generatedAt },
      previousPeriod: null,
    }
  }
  const p = previousPeriod(options.period)
  return { comparedWith: { kind: 'period', label: p.label, generatedAt: null }, previousPeriod: p }
}

/**
 * Open action items: tracked ones (from storage) win over generated ones with the same id, which win
 * over items carried from the last pack. Carried items a tracked item marks done are reported as closed.
 */
export function mergeActionItems(
  tracked: readonly ActionItem[],
  generated: readonly ActionItem[],
  previousPack: ReviewPack | null,
): { open: ActionItem[]; closed: ActionItem[] } {
  const byId = new Map<string, ActionItem>()
  for (const item of previousPack?.actionItems ?? []) {
    if (item.status === 'open') byId.set(item.id, { ...item, source: 'carried' })
  }
  for (const item of generated) byId.set(item.id, { ...item, source: 'generated' })
  const closed: ActionItem[] = []
  for (const item of tracked) {
    const before = byId.get(item.id)
    if (item.status === 'done' && before?.source === 'carried') closed.push({ ...item, source: 'tracked' })
    byId.set(item.id, { ...item, source: 'tracked' })
  }
  const order = { generated: 0, tracked: 1, carried: 2 } as const
  const open = [...byId.values()]
    .filter((i) => i.status === 'open')
    .sort((a, b) => order[a.source] - order[b.source] || a.id.localeCompare(b.id))
  return { open, closed }
}

/**
 * The pack itself, the same for every cadence: the sections a builder assembled, the action items merged from
 * storage, the builder and the last pack, and the alerts.
 */
export function finishPack(parts: {
  kind: ReviewPack['kind']
  title: string
  period: ReviewPack['period']
  now: number
  currency: string | null
  comparedWith: ReviewPack['comparedWith']
  sections: ReviewPack['sections']
  tracked: readonly ActionItem[]
  generated: readonly ActionItem[]
  previousPack: ReviewPack | null
  alerts: PackAlert[]
}): ReviewPack {
  const items = mergeActionItems(parts.tracked, parts.generated, parts.previousPack)
  return {
    kind: parts.kind,
    title: parts.title,
    period: parts.period,
    generatedAt: parts.now,
    currency: parts.currency,
    comparedWith: parts.comparedWith,
    sections: parts.sections,
    actionItems: items.open,
    closedSinceLastPack: items.closed,
    driftAlerts: parts.alerts,
  }
}

/** A feedback drift alert as a pack alert: adverse moves are warnings, favourable ones information. */
export function driftToPackAlert(alert: DriftAlert): PackAlert {
  const adverse =
    alert.metric === 'rejection_rate' || alert.metric === 'recycle_rate'
      ? alert.direction === 'up'
      : alert.direction === 'down'
  return { kind: 'drift', severity: adverse ? 'warning' : 'info', text: alert.sentence }
}

/** Percent KPIs that moved by at least `points` (fraction points) since the comparison baseline. */
export function changeAlerts(kpis: readonly Kpi[], points = 0.1): PackAlert[] {
  return kpis
    .filter((k) => k.format === 'percent' && k.change !== null && Math.abs(k.change) >= points)
    .map((k) => {
      const bad = k.change! > 0 !== (k.better === 'up')
      const word = k.change! > 0 ? 'rose' : 'fell'
      return {
        kind: 'change' as const,
        severity: bad ? ('warning' as const) : ('info' as const),
        text: `${k.label} ${word} ${(100 * Math.abs(k.change!)).toFixed(1)} pts to ${(100 * k.value!).toFixed(1)}% (from ${(100 * k.previous!).toFixed(1)}%)`,
      }
    })
}
