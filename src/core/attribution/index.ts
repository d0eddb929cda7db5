/**
 * Attribution models over touch paths (pure). Who imports this: analytics use cases, the CLI, the dashboard queries.
 * Heuristic models (first, last, linear, time decay, U/W-shaped, full-path, custom positions) and the data-driven
 * Markov removal-effect model solved exactly; sourced/influenced pipeline from the touch ledger; a parser for the
 * ChannelAttribution path format. No I/O here: `src/analytics/read-path-file.ts` reads files.
 */
export {
  ATTRIBUTION_MODEL_KINDS,
  attribute,
  attributeMany,
  DEFAULT_HALF_LIFE_MS,
  resolveAttributionModel,
  validateAttributionModel,
} from './attribute.ts'
export {
  buildOpportunityJourneys,
  compileOpportunityJourneys,
  type LedgerOpportunity,
  type MilestoneLedgerTouch,
} from './build-opportunity-journeys.ts'
export { compileJourneys, type JourneySet } from './compile-journeys.ts'
export { type MarkovOptions, type MarkovResult, markovRemovalEffects } from './markov-removal-effects.ts'
export { createPathFileParser, type PathFileParseResult, type PathFileParser, parsePathFile } from './path-file.ts'
export {
  type LedgerTouch,
  type OpportunityCredit,
  type PipelineCredit,
  type PipelineOpportunity,
  type SourcedAndInfluenced,
  sourcedAndInfluenced,
} from './sourced-and-influenced.ts'
export { type TouchColumns, toTouchColumns, touchRows } from './touch-columns.ts'
export type {
  AttributionModel,
  AttributionModelKind,
  AttributionResult,
  ChannelCredit,
  Journey,
  Milestone,
  PositionWeights,
  Touch,
} from './types.ts'
