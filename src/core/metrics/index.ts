// The shared numbers (pure): funnel by stage, opportunity metrics (pipeline created, win rate, deal
// size, cycle, velocity, bookings), speed-to-lead, SLA compliance, disposition reasons and progress
// against the Agreement's targets, plus period labels. Inputs are plain arrays the analytics use
// cases load; instants are UTC epoch ms; quantiles are R type 7. Anyone may import this folder.

export {
  type DispositionMetrics,
  type DispositionRecord,
  type DispositionRow,
  dispositionMetrics,
  type ReasonShare,
} from './disposition-metrics.ts'
export {
  FUNNEL_CONVENTION,
  type FunnelGroup,
  type FunnelLead,
  type FunnelOptions,
  type FunnelResult,
  type FunnelStage,
  funnel,
  type StageEntry,
} from './funnel.ts'
export { compareKeys, type GroupKey } from './group-by.ts'
export {
  type OpportunityMetrics,
  type OpportunityMetricsOptions,
  type OpportunityRecord,
  type OpportunityStats,
  opportunityDimension,
  opportunityMetrics,
  VELOCITY_FORMULA,
  type Velocity,
} from './opportunity-metrics.ts'
export { quantileSorted, ratio, type Summary, summarize, summaryInUnits } from './percentile.ts'
export {
  customPeriod,
  isInPeriod,
  isoWeekLabel,
  type Period,
  type PeriodKind,
  parsePeriod,
  previousPeriod,
  quarterOf,
  trailingPeriods,
} from './period.ts'
export {
  classifySlaClock,
  SLA_COMPLIANCE_CONVENTION,
  type SlaClockRecord,
  type SlaCompliance,
  type SlaComplianceRow,
  type SlaOutcome,
  slaCompliance,
} from './sla-compliance.ts'
export { type HandoffRecord, type SpeedToLead, type SpeedToLeadRow, speedToLead } from './speed-to-lead.ts'
export {
  PACING_RULE,
  type TargetActuals,
  type TargetLine,
  type TargetMetric,
  type TargetProgress,
  type TargetSet,
  type TargetStatus,
  targetProgress,
} from './target-progress.ts'
