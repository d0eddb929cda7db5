/**
 * Shapes of the shared-numbers API the analytics pages read (src/analytics/*.queries.ts, GET /v1/metrics/…,
 * /v1/feedback/…, /v1/attribution, /v1/reviews). Only the fields the pages show are typed.
 */

export type Key = string | null

export type Summary = { count: number; mean: number | null; median: number | null; p90: number | null }

export type TargetMetric = 'pipeline' | 'bookings' | 'mqls' | 'sqls' | 'opportunities' | 'sla_compliance'

export type TargetLine = {
  metric: TargetMetric
  actual: number | null
  target: number
  share: number | null
  expectedShare: number
  status: 'ahead' | 'on_track' | 'behind'
  met: boolean
  reason: string
}

export type OpportunityStats = {
  created: { count: number; amount: number }
  won: { count: number; amount: number }
  lost: { count: number; amount: number }
  winRate: number | null
  avgDealSize: number | null
  cycleDays: Summary
  lostCycleDays: Summary
  velocity: {
    perDay: number | null
    openCount: number
    openAmount: number
    winRate: number | null
    avgDealSize: number | null
    avgCycleDays: number | null
    formula: string
  }
}

export type FunnelStage = {
  stage: string
  entered: number
  advanced: number | null
  conversion: number | null
  timeInStageMs: Summary
}

export type FunnelGroup = { key: Key; stages: FunnelStage[] }

export type SpeedRow = { key: Key; handoffs: number; touched: number; untouched: number; businessHours: Summary }

export type SlaRow = {
  key: Key
  clocks: number
  metInTime: number
  metLate: number
  breached: number
  pending: number
  cancelled: number
  compliance: number | null
}

export type ReasonShare = { code: string | null; count: number; share: number; shareOfAll: number }

export type DispositionRow = {
  key: Key
  total: number
  accepted: number
  rejected: number
  recycled: number
  acceptanceRate: number | null
  rejectionRate: number | null
  recycleRate: number | null
  rejectionReasons: ReasonShare[]
  recycleReasons: ReasonShare[]
}

export type Scoreboard = {
  period: { label: string; from: string; to: string }
  asOf: string
  agreement: { versionId: number; hash: string } | null
  by: string
  /** The breakdown values every number is narrowed to ({} for all leads); targets are null while narrowed. */
  filter: Record<string, string>
  targets: {
    period: string
    from: number
    to: number
    elapsed: number
    lines: TargetLine[]
    mqlCommitment: { target: number; actual: number; met: boolean } | null
  } | null
  opportunities: OpportunityStats & { by: string | null; groups: (OpportunityStats & { key: Key })[]; undated: number }
  funnel: {
    convention: string
    by: string | null
    overall: FunnelGroup
    groups: FunnelGroup[]
    breakdowns: { by: string; groups: FunnelGroup[] }[]
  }
  speedToLead: { overall: SpeedRow; byTier: SpeedRow[]; byTeam: SpeedRow[]; byOwner: SpeedRow[] }
  sla: { overall: SlaRow; byTier: SlaRow[]; byTeam: SlaRow[]; byOwner: SlaRow[]; convention: string }
  dispositions: { by: string | null; overall: DispositionRow; groups: DispositionRow[] }
}

export type ReasonCount = {
  outcome: 'accepted' | 'rejected' | 'recycled'
  reasonCode: string | null
  count: number
  share: number
}

export type ReasonRow = {
  key: Record<string, Key>
  total: number
  accepted: number
  rejected: number
  recycled: number
  acceptanceRate: number
  rejectionRate: number
  recycleRate: number
  reasons: ReasonCount[]
}

export type Reasons = { period: string; by: string[]; total: number; rows: ReasonRow[] }

export type DriftAlert = {
  dimension: string
  value: string
  metric: string
  direction: 'up' | 'down'
  evidence: {
    recent: { hits: number; total: number; reasons?: Record<string, number> }
    baseline: { hits: number; total: number; reasons?: Record<string, number> }
    recentRate: number
    baselineRate: number
    test: 'two_proportion_z' | 'fisher_exact'
    z: number
    p: number
    adjustedP: number
    correction: 'holm' | 'benjamini_hochberg'
    alpha: number
  }
  dominantReason: { code: string; count: number } | null
  windowLabel: string
  sentence: string
  amendment: { kind: string; evidence: string; yaml: string } | null
}

export type Drift = {
  metric: 'rejection_rate' | 'recycle_rate' | 'acceptance_rate'
  recent: { from: string; to: string }
  baseline: { from: string; to: string }
  dimensions: string[]
  tested: number
  skipped: number
  alerts: DriftAlert[]
}

export type ChannelCredit = { channel: string; conversions: number; value: number }

export type AttributionResult = {
  model: { kind: string }
  channels: ChannelCredit[]
  totalConversions: number
  totalValue: number
  unattributed: { journeys: number; conversions: number; value: number }
  journeyCount: number
  pathCount: number
}

export type PipelineCredit = {
  channel: string
  campaign: string | null
  sourcedPipeline: number
  influencedPipeline: number
  sourcedCount: number
  influencedCount: number
}

export type Attribution = {
  period: { label: string; from: string; to: string }
  locked: {
    model: string
    locked: boolean
    lockedFrom: string | null
    agreement: { versionId: number; hash: string } | null
    reason: string
    result: AttributionResult
  }
  alternatives: { model: string; label: 'alternative'; result: AttributionResult }[]
  lookbackDays: number
  journeys: { opportunities: number; touches: number }
  pipeline: {
    byChannel: PipelineCredit[]
    byCampaign: PipelineCredit[]
    untouched: { count: number; pipeline: number }
  }
}

export type ReviewKind = 'weekly_pipeline' | 'monthly_sla_health' | 'quarterly_icp'

export type ReviewSummary = {
  id: number
  kind: ReviewKind
  period: string
  generatedAt: string
  title: string
  openActionItems: number
}

export type Review = {
  id: number
  kind: ReviewKind
  period: string
  generatedAt: string
  markdown: string
  html: string
  pack: {
    title: string
    actionItems: { severity: string; kind: string; text: string }[]
    driftAlerts: unknown[]
    comparedWith: { kind: 'pack' | 'period'; label: string } | null
  }
}
