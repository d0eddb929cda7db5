// The feedback loop (pure): aggregate dispositions and their reason codes by segment, test each
// segment's recent rate against its baseline (two-proportion z or Fisher, Holm/BH corrected), and
// turn adverse drift into proposed Agreement amendments with evidence. Callers pass the dispositions
// and the window bounds; nothing here reads the clock or the database.
export {
  type AggregateOptions,
  aggregateReasons,
  type Disposition,
  type DispositionOutcome,
  type ReasonCount,
  type ReasonRow,
} from './aggregate-reasons.ts'
export {
  describeSegments,
  EMPLOYEE_BANDS,
  type EmployeeBand,
  findEmployeeBand,
  ICP_DIMENSION_PREFIX,
  type SegmentSource,
} from './describe-segments.ts'
export {
  countSegmentOutcomes,
  type DriftAlert,
  type DriftMetric,
  type DriftOptions,
  type DriftTest,
  type DriftTesting,
  detectDrift,
  type SegmentCounts,
  testDrift,
  type WindowBounds,
  type WindowCounts,
} from './detect-drift.ts'
export { type Amendment, type AmendmentContext, proposeAmendments, segmentCondition } from './propose-amendments.ts'
