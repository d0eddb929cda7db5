import type { CompiledCondition, ConditionContext, Truth } from './compile-condition.ts'

/**
 * The outcome of a condition with its why. `missing` names the fields that were absent when the answer is
 * `'unknown'`; `reasons` gives each operand of the condition with its value, e.g. `fit >= 60: true (fit = 72)`.
 */
export type ConditionResult = {
  matched: Truth
  missing: string[]
  reasons: string[]
}

function readPath(ctx: ConditionContext, path: string): unknown {
  const dot = path.indexOf('.')
  if (dot < 0) return ctx[path]
  const root = ctx[path.slice(0, dot)] as Record<string, unknown> | null | undefined
  return root == null ? undefined : root[path.slice(dot + 1)]
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`
  return String(v)
}

/** Fields among `paths` that are absent (undefined or null) in `ctx`. */
export function findMissingFields(ctx: ConditionContext, paths: readonly string[]): string[] {
  return paths.filter((p) => readPath(ctx, p) == null)
}

/**
 * The hot path: only the answer. Use `evaluateCondition` when the decision is recorded and needs its reasons.
 *
 * Example: `testCondition(mql, { fit: 72, intent: 45, signals: { demo_request: false } }) === true`
 */
export function testCondition(condition: CompiledCondition, ctx: ConditionContext): Truth {
  return condition.test(ctx)
}

/**
 * Evaluate a condition and explain it. Never throws; a missing field makes the answer `'unknown'` only when the
 * answer depends on it (`true || <missing>` is true).
 *
 * Example: `evaluateCondition(mql, ctx)` → `{ matched: true, missing: [], reasons: ['fit >= 60: true (fit = 72)', …] }`
 */
export function evaluateCondition(condition: CompiledCondition, ctx: ConditionContext): ConditionResult {
  const matched = condition.test(ctx)
  const missing = matched === 'unknown' ? findMissingFields(ctx, condition.reads) : []
  const reasons = condition.leaves.map((leaf) => {
    const value = leaf.test(ctx)
    const inputs = leaf.reads.map((p) => {
      const v = readPath(ctx, p)
      return v == null ? `${p} missing` : `${p} = ${show(v)}`
    })
    const shown = value !== 'unknown' && leaf.reads.length === 1 && leaf.reads[0] === leaf.source ? [] : inputs
    return `${leaf.source}: ${value}${shown.length ? ` (${shown.join(', ')})` : ''}`
  })
  if (matched === 'unknown' && missing.length === 0) reasons.push('evaluation failed on the values given')
  return { matched, missing, reasons }
}
