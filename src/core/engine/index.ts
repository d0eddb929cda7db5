/**
 * The qualification engine (pure): fit, intent with decay and caps, windowed signals, lifecycle stages with written
 * reasons, tiers, handoff readiness, Agreement version changes and what-if replay. The integrator stores `LeadState`
 * as JSON in the `lead` row and calls `applyEvent` inside the ingestion transaction. Design notes: README.md.
 */
export {
  type AccountEngagement,
  accountEngagement,
  createEngagementAggregate,
  ENGAGED_MIN_INTENT,
  summarizeForAccount,
  updateEngagement,
} from './account-engagement.ts'
export { type ApplyOptions, applyEvent, findMissingHandoffFields, reevaluate, refreshFit } from './apply-event.ts'
export { createEngine, type Engine, type EngineRule, type EngineSignal } from './create-engine.ts'
export { formatInstant } from './describe-decision.ts'
export type * from './engine-types.ts'
export {
  explainLead,
  explainStageCondition,
  type LeadExplanation,
  type ScoreAt,
  scoreAt,
} from './explain-lead.ts'
export {
  advanceLead,
  createLeadState,
  type LifecycleResult,
  recycleLead,
  reopenLead,
  startNewCycle,
} from './lifecycle.ts'
export { isEngineState, migrateState } from './migrate-state.ts'
export {
  type Conversion,
  compareReplays,
  type KnownOutcome,
  orderForReplay,
  type Qualification,
  type ReplayComparison,
  type ReplayEvent,
  type ReplayInput,
  type ReplayLead,
  type ReplayOptions,
  type ReplayOutcome,
  replayHistory,
  replayOrder,
  weekOf,
} from './replay.ts'
export { matchPersona, resolveFit } from './score-fit.ts'
