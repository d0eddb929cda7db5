/**
 * Rule evaluation (pure): typed CEL conditions with three-valued results and explanations, and typed event matchers
 * for the per-event hot path. Used by src/core/agreement (compile) and the engine (evaluate).
 */
export { type ConditionEnvironment, createConditionEnvironment } from './cel-environment.ts'
export {
  type CompileConditionResult,
  type CompiledCondition,
  type ConditionContext,
  type ConditionError,
  type ConditionLeaf,
  compileCondition,
  suggestName,
  type Truth,
} from './compile-condition.ts'
export { type ConditionResult, evaluateCondition, findMissingFields, testCondition } from './evaluate-condition.ts'
export {
  type CompiledEventMatcher,
  compileEventMatcher,
  type EventMatch,
  EventMatchSchema,
  findInvalidRegex,
  type MatchableEvent,
  type PropertyMatcher,
  PropertyMatcherSchema,
} from './event-matcher.ts'
export {
  ACCOUNT_COLUMN_FIELDS,
  ACCOUNT_ENGAGEMENT_FIELDS,
  ACCOUNT_FIELDS,
  type ConditionScope,
  FIELD_TYPE_NAMES,
  type FieldSpec,
  type FieldType,
  hasFieldType,
  LEAD_FIELDS,
  listScopeRoots,
  PERSON_COLUMN_FIELDS,
  PERSON_FIELDS,
  type RootSpec,
  type ScopeDeclarations,
} from './field-catalogue.ts'
