import type { Engine } from './create-engine.ts'
import { type Aggregates, type Instant, type LeadState, NEVER } from './engine-types.ts'

/**
 * Intent as decayed sums and windowed signals as a few timestamps, all in one flat array per lead
 * (`LeadState.aggregates`, laid out by the engine): an event updates them in O(rules) without allocating, and any
 * arrival order gives the same aggregates (up to float rounding), so late events need no history.
 */

/** 2^(−Δ/halfLife); exact halves at whole half-lives (Math.pow, not exp(−Δ·ln2/h), which is off by an ulp). */
export function decayFactor(halfLifeMs: number, elapsedMs: number): number {
  return elapsedMs <= 0 ? 1 : 2 ** (-elapsedMs / halfLifeMs)
}

/** Conditions read intent rounded to 6 decimals, so float noise never decides a tie at a threshold. */
export function roundScore(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

/** Empty aggregates for a new lead: a copy of the engine's template (unboxed doubles). */
export function emptyAggregates(engine: Engine): Aggregates {
  return engine.blank.aggregates.slice()
}

/** Adds `points` scored at `at` to the rule whose `[sum, ref]` is at `offset`; the reference time only moves forward. */
export function addRulePoints(engine: Engine, agg: Aggregates, offset: number, points: number, at: Instant): void {
  const sum = agg[offset]!
  const ref = agg[offset + 1]!
  if (sum === 0) {
    agg[offset] = points
    agg[offset + 1] = at
  } else if (at >= ref) {
    agg[offset] = sum * decayFactor(engine.halfLifeMs, at - ref) + points
    agg[offset + 1] = at
  } else {
    agg[offset] = sum + points * decayFactor(engine.halfLifeMs, ref - at)
  }
}

/**
 * Rule `i`'s contribution as of `at`: its decayed sum, bounded by its cap. Capping the decayed sum when read (not
 * when adding) keeps the score independent of arrival order; extra matching events keep a rule at its cap longer,
 * never above it.
 */
export function ruleContributionAt(engine: Engine, agg: Aggregates, i: number, at: Instant): number {
  const rule = engine.rules[i]!
  const sum = agg[rule.offset]!
  if (sum === 0) return 0
  const v = sum * decayFactor(engine.halfLifeMs, at - agg[rule.offset + 1]!)
  const cap = rule.cap
  return cap !== null && v > cap ? cap : v
}

/** Intent as of `at`: the rules' contributions summed, within [0, intent.max]. */
export function intentAt(engine: Engine, agg: Aggregates, at: Instant): number {
  let total = 0
  const rules = engine.rules
  // ruleContributionAt inlined, with the decay factor reused while rules share a reference time (an event that
  // matched several rules): the same numbers, fewer powers.
  let lastRef = Number.NaN
  let f = 1
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!
    const sum = agg[rule.offset]!
    if (sum === 0) continue
    const ref = agg[rule.offset + 1]!
    if (ref !== lastRef) {
      lastRef = ref
      f = decayFactor(engine.halfLifeMs, at - ref)
    }
    const v = sum * f
    const cap = rule.cap
    total += cap !== null && v > cap ? cap : v
  }
  return roundScore(total < 0 ? 0 : total > engine.intentMax ? engine.intentMax : total)
}

/**
 * Keeps the `atLeast` most recent times of a count signal, ascending in `agg[offset … offset + atLeast)` with `NEVER`
 * in the places not yet filled: the oldest place gives way, a late time is inserted in order, or dropped when the
 * window is full and it is older than all.
 */
export function insertCountTime(agg: Aggregates, offset: number, atLeast: number, at: Instant): void {
  if (at < agg[offset]!) return
  const last = offset + atLeast - 1
  let i = offset
  while (i < last && agg[i + 1]! <= at) {
    agg[i] = agg[i + 1]!
    i++
  }
  agg[i] = at
}

/** Records a match of filter `of` of an `any` signal at `at`; the latest match wins. */
export function recordAnyMatch(agg: Aggregates, offset: number, of: number, at: Instant): void {
  if (at >= agg[offset]!) {
    agg[offset] = at
    agg[offset + 1] = of
  }
}

/** Whether signal `i` holds at `at` (windows include their bounds: 3 views exactly 7 days apart hold for 7d). */
export function signalHoldsAt(engine: Engine, state: LeadState, i: number, at: Instant): boolean {
  const def = engine.signals[i]!
  const agg = state.aggregates
  switch (def.kind) {
    case 'count': {
      const first = agg[def.offset]!
      if (first === NEVER) return false
      return first >= at - def.withinMs && agg[def.offset + def.atLeast - 1]! <= at
    }
    case 'any': {
      const lastAt = agg[def.offset]!
      return lastAt !== NEVER && lastAt <= at && lastAt >= at - def.withinMs
    }
    case 'inactivity':
      return state.lastEventAt !== null && at - state.lastEventAt >= def.forMs
  }
}

/** Times of a count signal inside its window as of `at` (for explanations). */
export function countTimesInWindow(engine: Engine, state: LeadState, i: number, at: Instant): Instant[] {
  const def = engine.signals[i]!
  if (def.kind !== 'count') return []
  const out: Instant[] = []
  for (let k = def.offset; k < def.offset + def.atLeast; k++) {
    const t = state.aggregates[k]!
    if (t !== NEVER && t <= at && t >= at - def.withinMs) out.push(t)
  }
  return out
}

/** The latest match of an `any` signal: when, and which filter of `of` (null when none). */
export function lastAnyMatch(engine: Engine, state: LeadState, i: number): { at: Instant; of: number } | null {
  const def = engine.signals[i]!
  if (def.kind !== 'any') return null
  const at = state.aggregates[def.offset]!
  return at === NEVER ? null : { at, of: state.aggregates[def.offset + 1]! }
}
