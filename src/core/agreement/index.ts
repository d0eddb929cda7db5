/**
 * The Agreement as code (pure): parse and validate the YAML, identify versions by content hash, compile conditions and
 * matchers for the engine, diff versions in RevOps words. Imported by use cases (src/agreement), the CLI and the
 * engine; imports nothing with I/O. Format reference: docs/agreement.md.
 */
export { agreementJsonSchema } from './agreement-json-schema.ts'
export {
  type Agreement,
  type AgreementInput,
  AgreementSchema,
  ATTRIBUTION_MODELS,
  AUTOMATIC_STAGES,
  DEFAULT_ACCOUNT_SIGNAL_TYPES,
  isKnownTimeZone,
  LIFECYCLE_STAGES,
  type LifecycleStage,
} from './agreement-schema.ts'
export {
  type CompiledAgreement,
  type CompiledCalendar,
  type CompiledCriterion,
  type CompiledSignal,
  compileAgreement,
  compileCalendar,
  listCalendarHolidays,
  type MinuteRange,
  type RouteTarget,
} from './compile-agreement.ts'
export {
  type AgreementChange,
  type AgreementDiff,
  describeConditionChange,
  diffAgreements,
  formatDiff,
} from './diff-agreements.ts'
export {
  type BusinessDuration,
  type Duration,
  formatDuration,
  parseDuration,
  parsePercent,
  parseTimeWindow,
  type TimeWindow,
} from './duration.ts'
export { type AgreementError, formatAgreementErrors, sortAgreementErrors } from './format-agreement-errors.ts'
export { canonicalizeAgreement, hashAgreement } from './hash-agreement.ts'
export { type ParseAgreementResult, parseAgreement } from './parse-agreement.ts'
