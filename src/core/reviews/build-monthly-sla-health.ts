import type { DriftAlert } from '../feedback/index.ts'
import {
  type DispositionRecord,
  dispositionMetrics,
  type HandoffRecord,
  isoWeekLabel,
  type Period,
  parsePeriod,
  type SlaClockRecord,
  type SlaComplianceRow,
  type SpeedToLeadRow,
  slaCompliance,
  speedToLead,
  trailingPeriods,
} from '../metrics/index.ts'
import { formatInstant, formatValue } from './format-value.ts'
import {
  changeAlerts,
  comparisonBaseline,
  driftToPackAlert,
  finishPack,
  type KpiDefinition,
  makeKpis,
} from './pack-parts.ts'
import type {
  ActionItem,
  BuildPackOptions,
  PackAlert,
  PackSection,
  ReviewPack,
  TableColumn,
} from './review-pack-types.ts'

/** One breach in the month, with the escalations it caused (as sentences: 'notified manager', 'reassigned to na_pool'). */
export type BreachRecord = {
  leadId: string
  leadName?: string | null
  owner: string | null
  team: string | null
  tier: string | null
  dueAt: number
  breachedAt: number
  /** First touch after the breach, or null while still untouched. */
  touchedAt: number | null
  escalations: readonly string[]
}

export type MonthlySlaData = {
  clocks: readonly SlaClockRecord[]
  handoffs: readonly HandoffRecord[]
  dispositions?: readonly DispositionRecord[]
  breaches?: readonly BreachRecord[]
  /** The Agreement's sla_compliance target for the period (a fraction). */
  slaTarget?: number | null
  /** Rows of the worst-offenders table. Default 5. */
  worstOffenders?: number
  /** Weeks in the compliance trend line. Default 6. */
  trendWeeks?: number
  actionItems?: readonly ActionItem[]
  driftAlerts?: readonly DriftAlert[]
}

const KPIS: KpiDefinition[] = [
  { id: 'sla_compliance', label: 'SLA compliance', format: 'percent', better: 'up' },
  { id: 'speed_median_hours', label: 'Speed-to-lead, median (business hours)', format: 'hours', better: 'down' },
  { id: 'speed_p90_hours', label: 'Speed-to-lead, p90 (business hours)', format: 'hours', better: 'down' },
  { id: 'handoffs', label: 'Handoffs', format: 'count', better: 'up' },
  { id: 'breached', label: 'Breached untouched', format: 'count', better: 'down' },
  { id: 'met_late', label: 'Touched late', format: 'count', better: 'down' },
  { id: 'acceptance_rate', label: 'Acceptance rate', format: 'percent', better: 'up' },
]

function slaValues(data: MonthlySlaData, period: Period, now: number): Record<string, number | null> {
  const c = slaCompliance(data.clocks, { now, period }).overall
  const s = speedToLead(data.handoffs, { period }).overall
  const d = dispositionMetrics(data.dispositions ?? [], { period }).overall
  return {
    sla_compliance: c.compliance,
    speed_median_hours: s.businessHours.median,
    speed_p90_hours: s.businessHours.p90,
    handoffs: s.handoffs,
    breached: c.breached,
    met_late: c.metLate,
    acceptance_rate: d.acceptanceRate,
  }
}

const COMPLIANCE_COLUMNS = (label: string): TableColumn[] => [
  { key: 'key', label },
  { key: 'clocks', label: 'Clocks', format: 'count' },
  { key: 'metInTime', label: 'Met in time', format: 'count' },
  { key: 'metLate', label: 'Touched late', format: 'count' },
  { key: 'breached', label: 'Breached', format: 'count' },
  { key: 'pending', label: 'Pending', format: 'count' },
  { key: 'compliance', label: 'Compliance', format: 'percent' },
]
const complianceRow = (r: SlaComplianceRow) => ({
  key: r.key ?? '(none)',
  clocks: r.clocks,
  metInTime: r.metInTime,
  metLate: r.metLate,
  breached: r.breached,
  pending: r.pending,
  compliance: r.compliance,
})
const SPEED_COLUMNS = (label: string): TableColumn[] => [
  { key: 'key', label },
  { key: 'handoffs', label: 'Handoffs', format: 'count' },
  { key: 'untouched', label: 'Untouched', format: 'count' },
  { key: 'median', label: 'Median', format: 'hours' },
  { key: 'p90', label: 'p90', format: 'hours' },
]
const speedRow = (r: SpeedToLeadRow) => ({
  key: r.key ?? '(none)',
  handoffs: r.handoffs,
  untouched: r.untouched,
  median: r.businessHours.median,
  p90: r.businessHours.p90,
})

/**
 * The monthly SLA health check: compliance by tier, team and rep against the Agreement's target,
 * speed-to-lead in business hours, breaches with their escalations, the worst offenders, acceptance
 * and rejection reasons, with changes since the last pack, alerts and open action items.
 *
 * @example buildMonthlySlaHealth({ clocks, handoffs, breaches, slaTarget: 0.9 }, { period: parsePeriod('2026-11'), previous: octoberPack, now })
 */
export function buildMonthlySlaHealth(data: MonthlySlaData, options: BuildPackOptions): ReviewPack {
  const { period, now } = options
  const previousPack = options.previous ?? null
  const baseline = comparisonBaseline(options)
  const target = data.slaTarget ?? null
  const compliance = slaCompliance(data.clocks, { now, period })
  const speed = speedToLead(data.handoffs, { period })
  const sections: PackSection[] = []
  const alerts: PackAlert[] = []
  const generated: ActionItem[] = []

  const kpis = makeKpis(
    KPIS,
    slaValues(data, period, now),
    baseline.previousPeriod ? slaValues(data, baseline.previousPeriod, now) : null,
    previousPack,
    { sla_compliance: target },
  )
  sections.push({ kind: 'kpis', title: 'Headline numbers', kpis })
  alerts.push(...changeAlerts(kpis))

  sections.push({
    kind: 'chart',
    title: 'Compliance by tier',
    chart: {
      kind: 'bar',
      format: 'percent',
      bars: compliance.byTier.map((r) => ({ label: r.key ?? '(none)', value: r.compliance })),
      ...(target === null ? {} : { reference: { label: 'target', value: target } }),
    },
    note: compliance.convention,
  })
  const lastWeek = parsePeriod(isoWeekLabel(period.to - 1))
  sections.push({
    kind: 'chart',
    title: 'Compliance by week',
    chart: {
      kind: 'line',
      format: 'percent',
      points: trailingPeriods(lastWeek, data.trendWeeks ?? 6).map((w) => ({
        label: w.label,
        value: slaCompliance(data.clocks, { now, period: w }).overall.compliance,
      })),
      ...(target === null ? {} : { target: { label: 'target', value: target } }),
    },
  })
  sections.push({
    kind: 'table',
    title: 'Compliance by tier',
    columns: COMPLIANCE_COLUMNS('Tier'),
    rows: compliance.byTier.map(complianceRow),
  })
  sections.push({
    kind: 'table',
    title: 'Compliance by team',
    columns: COMPLIANCE_COLUMNS('Team'),
    rows: compliance.byTeam.map(complianceRow),
  })
  sections.push({
    kind: 'table',
    title: 'Compliance by rep',
    columns: COMPLIANCE_COLUMNS('Rep'),
    rows: compliance.byOwner.map(complianceRow),
  })
  sections.push({
    kind: 'table',
    title: 'Speed-to-lead by tier (business hours to first touch)',
    columns: SPEED_COLUMNS('Tier'),
    rows: speed.byTier.map(speedRow),
  })
  sections.push({
    kind: 'table',
    title: 'Speed-to-lead by team (business hours to first touch)',
    columns: SPEED_COLUMNS('Team'),
    rows: speed.byTeam.map(speedRow),
  })

  const breaches = (data.breaches ?? [])
    .filter((b) => b.breachedAt >= period.from && b.breachedAt < period.to)
    .sort((a, b) => a.breachedAt - b.breachedAt || a.leadId.localeCompare(b.leadId))
  sections.push({
    kind: 'table',
    title: 'Breaches and escalations',
    columns: [
      { key: 'lead', label: 'Lead' },
      { key: 'tier', label: 'Tier' },
      { key: 'owner', label: 'Owner' },
      { key: 'breachedAt', label: 'Breached' },
      { key: 'touched', label: 'First touch' },
      { key: 'escalations', label: 'Escalations' },
    ],
    rows: breaches.map((b) => ({
      lead: b.leadName ?? b.leadId,
      tier: b.tier,
      owner: b.owner,
      breachedAt: formatInstant(b.breachedAt),
      touched: b.touchedAt === null ? 'untouched' : formatInstant(b.touchedAt),
      escalations: b.escalations.length === 0 ? 'none' : b.escalations.join('; '),
    })),
  })

  const offenders = compliance.byOwner
    .filter((r) => r.breached + r.metLate > 0)
    .sort(
      (a, b) =>
        b.breached + b.metLate - (a.breached + a.metLate) ||
        (a.compliance ?? 0) - (b.compliance ?? 0) ||
        String(a.key).localeCompare(String(b.key)),
    )
    .slice(0, data.worstOffenders ?? 5)
  sections.push({
    kind: 'table',
    title: 'Worst offenders (breached + late)',
    columns: COMPLIANCE_COLUMNS('Rep'),
    rows: offenders.map(complianceRow),
  })
  for (const r of offenders) {
    const rep = r.key ?? '(unassigned)'
    generated.push({
      id: `sla:${period.label}:${rep}`,
      text: `${rep}: ${r.breached} breached and ${r.metLate} late of ${r.clocks} clocks (compliance ${formatValue(r.compliance, 'percent')}) — review workload and working hours`,
      owner: r.key,
      dueAt: null,
      status: 'open',
      source: 'generated',
    })
  }

  if (data.dispositions) {
    const d = dispositionMetrics(data.dispositions, { period }).overall
    sections.push({
      kind: 'table',
      title: 'Rejection and recycle reasons',
      columns: [
        { key: 'outcome', label: 'Outcome' },
        { key: 'code', label: 'Reason' },
        { key: 'count', label: 'Leads', format: 'count' },
        { key: 'share', label: 'Share of outcome', format: 'percent' },
        { key: 'shareOfAll', label: 'Share of all', format: 'percent' },
      ],
      rows: [
        ...d.rejectionReasons.map((r) => ({ outcome: 'rejected', ...r, code: r.code ?? '(none)' })),
        ...d.recycleReasons.map((r) => ({ outcome: 'recycled', ...r, code: r.code ?? '(none)' })),
      ],
      note: `Acceptance rate ${formatValue(d.acceptanceRate, 'percent')} of ${d.total} dispositions.`,
    })
  }

  if (target !== null) {
    const overall = compliance.overall.compliance
    if (overall !== null && overall < target) {
      alerts.push({
        kind: 'sla',
        severity: 'critical',
        text: `SLA compliance ${formatValue(overall, 'percent')} is below the ${formatValue(target, 'percent')} target`,
      })
    }
    for (const r of compliance.byTier) {
      if (r.compliance !== null && r.compliance < target) {
        alerts.push({
          kind: 'sla',
          severity: 'warning',
          text: `Tier ${r.key ?? '(none)'}: compliance ${formatValue(r.compliance, 'percent')} below the ${formatValue(target, 'percent')} target (${r.breached} breached, ${r.metLate} late)`,
        })
      }
    }
  }
  alerts.push(...(data.driftAlerts ?? []).map(driftToPackAlert))
  return finishPack({
    kind: 'monthly_sla_health',
    title: options.title ?? `Monthly SLA health check ${period.label}`,
    period,
    now,
    currency: options.currency ?? null,
    comparedWith: baseline.comparedWith,
    sections,
    tracked: data.actionItems ?? [],
    generated,
    previousPack,
    alerts,
  })
}
