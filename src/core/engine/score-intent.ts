import type { Engine } from './create-engine.ts'
import type { Instant, IntentAggregates, LeadState, SignalState } from './engine-types.ts'

/**
 * Intent as decayed sums and windowed signals as a few timestamps: an event updates them in O(rules) and any arrival
 * order gives the same aggregates (up to float rounding), so late events need no history.
 */

/** 2^(−Δ/halfLife); exact halves at whole half-lives (Math.pow, not exp(−Δ·ln2/h), which is off by an ulp). */
export function decayFactor(halfLifeMs: number, elapsedMs: number): number {
  return elapsedMs <= 0 ? 1 : 2 ** (-elapsedMs / halfLifeMs)
}

/** Conditions read intent rounded to 6 decimals, so float noise never decides a tie at a threshold. */
export function roundScore(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

export function emptyIntent(engine: Engine): IntentAggregates {
  const n = engine.rules.length
  // keys are shared by every state of the version: states replace the array (migrateState), never edit it.
  const sums = new Array<number>(n)
  const refs = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    sums[i] = 0
    refs[i] = 0
  }
  return { keys: engine.blank.ruleKeys, sums, refs }
}

export function emptySignals(engine: Engine): SignalState[] {
  return engine.signals.map((s): SignalState => {
    switch (s.kind) {
      case 'count':
        return { name: s.name, key: s.key, kind: 'count', times: [] }
      case 'any':
        return { name: s.name, key: s.key, kind: 'any', lastAt: null, lastOf: 0 }
      default:
        return { name: s.name, key: s.key, kind: 'inactivity' }
    }
  })
}

/** Adds `points` scored at `at` to rule `i`; the reference time only moves forward. */
export function addRulePoints(engine: Engine, agg: IntentAggregates, i: number, points: number, at: Instant): void {
  const sum = agg.sums[i]!
  const ref = agg.refs[i]!
  if (sum === 0) {
    agg.sums[i] = points
    agg.refs[i] = at
  } else if (at >= ref) {
    agg.sums[i] = sum * decayFactor(engine.halfLifeMs, at - ref) + points
    agg.refs[i] = at
  } else {
    agg.sums[i] = sum + points * decayFactor(engine.halfLifeMs, ref - at)
  }
}

/**
 * Rule `i`'s contribution as of `at`: its decayed sum, bounded by its cap. Capping the decayed sum when read (not
 * when adding) keeps the score independent of arrival order; extra matching events keep a rule at its cap longer,
 * never above it.
 */
export function ruleContributionAt(engine: Engine, agg: IntentAggregates, i: number, at: Instant): number {
  const sum = agg.sums[i]!
  if (sum === 0) return 0
  const v = sum * decayFactor(engine.halfLifeMs, at - agg.refs[i]!)
  const cap = engine.rules[i]!.cap
  return cap !== null && v > cap ? cap : v
}

/** Intent as of `at`: the rules' contributions summed, within [0, intent.max]. */
export function intentAt(engine: Engine, agg: IntentAggregates, at: Instant): number {
  let total = 0
  for (let i = 0; i < agg.sums.length; i++) if (agg.sums[i] !== 0) total += ruleContributionAt(engine, agg, i, at)
  return roundScore(total < 0 ? 0 : total > engine.intentMax ? engine.intentMax : total)
}

/** Keeps the `atLeast` most recent times, ascending; a late time is inserted in order or dropped when older than all. */
export function insertTime(times: Instant[], at: Instant, atLeast: number): void {
  if (times.length >= atLeast) {
    if (at < times[0]!) return
    times.shift()
  }
  let i = times.length
  while (i > 0 && times[i - 1]! > at) i--
  times.splice(i, 0, at)
}

/** Whether signal `i` holds at `at` (windows include their bounds: 3 views exactly 7 days apart hold for 7d). */
export function signalHoldsAt(engine: Engine, state: LeadState, i: number, at: Instant): boolean {
  const def = engine.signals[i]!
  const s = state.signals[i]!
  switch (def.kind) {
    case 'count': {
      const times = (s as Extract<SignalState, { kind: 'count' }>).times
      if (times.length < def.atLeast) return false
      return times[times.length - def.atLeast]! >= at - def.withinMs && times[times.length - 1]! <= at
    }
    case 'any': {
      const lastAt = (s as Extract<SignalState, { kind: 'any' }>).lastAt
      return lastAt !== null && lastAt <= at && lastAt >= at - def.withinMs
    }
    case 'inactivity':
      return state.lastEventAt !== null && at - state.lastEventAt >= def.forMs
  }
}

/** Times of a count signal inside its window as of `at` (for explanations). */
export function countTimesInWindow(engine: Engine, state: LeadState, i: number, at: Instant): Instant[] {
  const def = engine.signals[i]!
  const s = state.signals[i]!
  if (def.kind !== 'count' || s.kind !== 'count') return []
  return s.times.filter((t) => t <= at && t >= at - def.withinMs)
}
